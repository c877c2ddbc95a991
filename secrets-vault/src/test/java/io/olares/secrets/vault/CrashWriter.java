package io.olares.secrets.vault;

import io.olares.secrets.SecretValue;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * A separate JVM the crash tests start and kill: it opens the vault and writes items in a loop,
 * printing {@code ACK <i>} after each write returns (that is, after its commit).
 */
public final class CrashWriter {
  /** How many distinct items a writer cycles through. */
  public static final int KEYS = 40;

  private CrashWriter() {}

  /** Arguments: the vault URL and the writer's prefix (its container). */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    PrintStream out = System.out;
    try (Vault vault =
        Vault.open(url, TestVaults.passphrase(), TestVaults.options(Clock.systemUTC()))) {
      out.println("READY");
      out.flush();
      for (int i = 0; ; i++) {
        try (SecretValue v = SecretValue.ofBytes(value(prefix, i))) {
          vault.putField(name(prefix, i), null, v);
        }
        out.println("ACK " + i);
        out.flush();
      }
    }
  }

  /** The item the {@code i}-th write goes to. */
  public static String name(String prefix, int i) {
    return prefix + "/k-" + (i % KEYS);
  }

  /** The value of the {@code i}-th write: unique to it, 1 to 3,000 bytes. */
  public static byte[] value(String prefix, int i) throws Exception {
    byte[] seed =
        MessageDigest.getInstance("SHA-256")
            .digest((prefix + "#" + i).getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[1 + (i * 7919) % 3000];
    for (int j = 0; j < out.length; j++) {
      out[j] = seed[j % seed.length];
    }
    return out;
  }
}
