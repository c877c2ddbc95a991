package io.olares.secrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.Approver;
import io.olares.secrets.approval.Jws;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    description =
        "Resolves one reference and writes the raw value to stdout (no trailing newline).")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF")
  String ref;

  @ArgGroup(exclusive = true)
  ApprovalSource approval;

  static final class ApprovalSource {
    @Option(
        names = "--device-key",
        paramLabel = "F",
        description = "Sign the approval locally with this device key file.")
    Path deviceKey;

    @Option(
        names = "--approval",
        paramLabel = "JWS",
        description = "A JWS over the challenge an earlier `get` printed.")
    String jws;
  }

  @Option(names = "--json", description = "Print a JSON object instead of the raw value.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    SecretRef parsed = SecretRef.parse(ref);
    CliContext ctx = new CliContext(GlobalOptions.of(spec));
    Optional<Approver> approver =
        approval != null && approval.deviceKey != null
            ? Optional.of(CliContext.deviceApprover(approval.deviceKey, olaresId()))
            : Optional.empty();
    try (Secrets secrets = ctx.open(approver)) {
      Secret secret;
      try {
        secret = read(secrets, ctx, parsed);
      } catch (ApprovalRequiredException e) {
        ctx.savePending(e.request());
        var err = spec.commandLine().getErr();
        err.println("approval required for " + parsed + ": " + e.getMessage());
        err.println("challenge: " + e.challenge());
        err.println(
            "sign it with: olares-secrets approve --device-key FILE --challenge " + e.challenge());
        err.println("then run:     olares-secrets get " + parsed + " --approval JWS");
        err.flush();
        return ExitCodes.APPROVAL_REQUIRED;
      }
      try (secret) {
        print(secret);
      }
    }
    return ExitCodes.OK;
  }

  private Secret read(Secrets secrets, CliContext ctx, SecretRef parsed) throws IOException {
    if (approval == null || approval.jws == null) {
      return secrets.get(parsed);
    }
    String challenge = Jws.parse(approval.jws.trim()).payload().challenge();
    ApprovalRequest request = ctx.loadPending(challenge);
    // The pending request stays: a second use of the same approval must reach the store and be
    // refused there as a replay, not look like an unknown challenge.
    return secrets.get(parsed, new Approval(request, approval.jws.trim()));
  }

  private void print(Secret secret) throws IOException {
    PrintStream out = System.out;
    if (!json) {
      byte[] raw = secret.value().revealBytes();
      try {
        out.write(raw);
        out.flush();
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ref", secret.ref().toString());
    m.put("classification", secret.classification().name());
    if (secret.value().isUtf8()) {
      m.put("encoding", "utf-8");
      m.put("value", secret.value().revealString());
    } else {
      byte[] raw = secret.value().revealBytes();
      m.put("encoding", "base64");
      m.put("value", Base64.getEncoder().encodeToString(raw));
      Arrays.fill(raw, (byte) 0);
    }
    secret.metadata().versionOpt().ifPresent(v -> m.put("version", v));
    secret.metadata().expiresOpt().ifPresent(v -> m.put("expires", v.toString()));
    out.println(new ObjectMapper().writeValueAsString(m));
    out.flush();
  }

  static String olaresId() {
    String id = System.getenv("OLARES_ID");
    return id == null || id.isBlank() ? "user@olares.local" : id;
  }
}
