package io.olares.secrets.examples;

import io.olares.secrets.Secret;
import io.olares.secrets.Secrets;
import java.nio.file.Path;
import java.util.List;

/**
 * An Olares app reading three kinds of secret through one facade: its own application credential
 * (Infisical, its own workspace), an integration token the user connected in Settings, and a pod
 * secret the chart injected. The configuration file names the stores; on Olares it comes with the
 * app (or {@code OLARES_SECRETS_CONFIG} names it), so the code below stays the same everywhere.
 *
 * <pre>{@code
 * app: myapp
 * user: alice
 * stores:
 *   app: { type: olares-secret, generation: 2, endpoint: "http://..." }
 *   integration: { type: olares-integration }
 *   pod: { type: pod }
 * policy:
 *   grants: [ { appName: integration, providerName: account } ]
 * }</pre>
 *
 * <p>Run: {@code OlaresApp <config.yaml> <ref>...}.
 */
public final class OlaresApp {
  private OlaresApp() {}

  /** Reads each reference and prints what it is, never its value. */
  public static void main(String[] args) {
    Path config = Path.of(args[0]);
    List<String> refs = List.of(args).subList(1, args.length);
    try (Secrets secrets = Secrets.fromConfig(config)) {
      for (String ref : refs) {
        try (Secret secret = secrets.get(ref)) {
          // Hand the value to the client library that needs it, e.g.:
          // dataSource.setPassword(new String(secret.value().revealChars()));
          System.out.println(
              secret.classification()
                  + " "
                  + secret.ref()
                  + ": "
                  + secret.value().length()
                  + " bytes");
        }
      }
    }
  }
}
