package io.olares.secrets.cli;

import io.olares.secrets.SecretRef;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.Jws;
import io.olares.secrets.config.SecretsConfig;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.vault.KdfParams;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "vault",
    description = "Vault administration (passphrase from OLARES_VAULT_PASSPHRASE or the console).",
    subcommands = {
      VaultCommand.Init.class,
      VaultCommand.Trust.class,
      VaultCommand.Sign.class,
      VaultCommand.Rekey.class,
      VaultCommand.Calibrate.class
    })
final class VaultCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The vault URL: --url, else the configured store named 'vault', else the default file. */
  static String url(String given, GlobalOptions global) {
    if (given != null) {
      return given;
    }
    SecretsConfig config = new CliContext(global).config();
    StoreConfig store = config.stores().get("vault");
    if (store != null && store.string("url").isPresent()) {
      return store.requireString("url");
    }
    return CliContext.defaultVaultUrl();
  }

  @Command(name = "init", description = "Creates a vault (Argon2id, AES-256-GCM) at a JDBC URL.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC", description = "jdbc:sqlite:FILE or PostgreSQL.")
    String url;

    @Option(
        names = "--calibrate",
        paramLabel = "DURATION",
        description =
            "Pick Argon2id parameters for this unlock time (e.g. 500ms), never below"
                + " the floor.")
    String calibrate;

    @Override
    public Integer call() {
      String target = url(url, GlobalOptions.of(spec));
      KdfParams params =
          calibrate == null
              ? KdfParams.DEFAULT
              : Vault.calibrate(StoreConfig.parseDuration(calibrate, () -> badDuration()));
      char[] pass = Passphrase.readNew(Passphrase.ENV, "new vault passphrase");
      try (Vault vault =
          Vault.init(target, pass, params, io.olares.secrets.vault.VaultOptions.defaults())) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("vault " + vault.id() + " created at " + target + " (" + params + ")");
        out.println("next: trust a device key with `olares-secrets vault trust DID`");
      } finally {
        Arrays.fill(pass, '\0');
      }
      return ExitCodes.OK;
    }

    private static IllegalArgumentException badDuration() {
      return new IllegalArgumentException("--calibrate must be a duration such as 500ms or 1s");
    }
  }

  @Command(name = "trust", description = "Trusts a device key's did:key for approvals.")
  static final class Trust implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DID")
    String did;

    @Option(names = "--url", paramLabel = "JDBC")
    String url;

    @Option(names = "--remove", description = "Stop trusting the DID instead.")
    boolean remove;

    @Override
    public Integer call() {
      char[] pass = Passphrase.read("vault passphrase");
      try (Vault vault = Vault.open(url(url, GlobalOptions.of(spec)), pass);
          VaultAdmin admin = vault.admin(pass)) {
        var now = remove ? admin.untrust(did) : admin.trust(did);
        PrintWriter out = spec.commandLine().getOut();
        out.println("trusted devices of vault " + vault.id() + ":");
        now.forEach(d -> out.println("  " + d));
      } finally {
        Arrays.fill(pass, '\0');
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rekey",
      description =
          "Changes the passphrase: rewraps the vault key, items untouched (new passphrase from"
              + " OLARES_VAULT_NEW_PASSPHRASE or the console).")
  static final class Rekey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC")
    String url;

    @Option(
        names = "--rotate",
        description = "Also re-encrypt every item under a fresh vault key, reporting progress.")
    boolean rotate;

    @Override
    public Integer call() {
      char[] pass = Passphrase.read("current vault passphrase");
      char[] fresh = null;
      try (Vault vault = Vault.open(url(url, GlobalOptions.of(spec)), pass);
          VaultAdmin admin = vault.admin(pass)) {
        PrintWriter out = spec.commandLine().getOut();
        if (rotate) {
          admin.rotate(
              (done, total) -> {
                out.println("re-encrypted " + done + " of " + total + " items");
                out.flush();
              });
        }
        fresh = Passphrase.readNew("OLARES_VAULT_NEW_PASSPHRASE", "new vault passphrase");
        admin.rekey(fresh);
        out.println("vault " + vault.id() + " rekeyed");
      } finally {
        Arrays.fill(pass, '\0');
        if (fresh != null) {
          Arrays.fill(fresh, '\0');
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "calibrate",
      description = "Prints Argon2id parameters that take about the given time here.")
  static final class Calibrate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DURATION", defaultValue = "500ms")
    String target;

    @Override
    public Integer call() {
      Duration d =
          StoreConfig.parseDuration(
              target, () -> new IllegalArgumentException("DURATION must look like 500ms or 1s"));
      spec.commandLine().getOut().println(Vault.calibrate(d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "sign",
      description =
          "Signs a message with a private-key item; the key never leaves the vault. Prints the"
              + " signature in hex.")
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "REF")
    String ref;

    @Option(names = "--message-hex", required = true, paramLabel = "H")
    String messageHex;

    @ArgGroup(exclusive = true)
    GetCommand.ApprovalSource approval;

    @Override
    public Integer call() throws IOException {
      SecretRef parsed = SecretRef.parse(ref);
      byte[] message;
      try {
        message = HexFormat.of().parseHex(messageHex.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--message-hex is not hexadecimal");
      }
      CliContext ctx = new CliContext(GlobalOptions.of(spec));
      var approver =
          approval != null && approval.deviceKey != null
              ? Optional.of(CliContext.deviceApprover(approval.deviceKey, GetCommand.olaresId()))
              : Optional.<io.olares.secrets.approval.Approver>empty();
      try (Secrets secrets = ctx.open(approver)) {
        Approval given = null;
        if (approval != null && approval.jws != null) {
          String challenge = Jws.parse(approval.jws.trim()).payload().challenge();
          given = new Approval(ctx.loadPending(challenge), approval.jws.trim());
        }
        byte[] signature;
        try {
          signature = secrets.sign(parsed, message, given);
        } catch (io.olares.secrets.ApprovalRequiredException e) {
          ctx.savePending(e.request());
          spec.commandLine().getErr().println("approval required; challenge: " + e.challenge());
          spec.commandLine()
              .getErr()
              .println(
                  "then run: olares-secrets vault sign "
                      + parsed
                      + " --message-hex "
                      + messageHex
                      + " --approval JWS");
          return ExitCodes.APPROVAL_REQUIRED;
        }
        spec.commandLine().getOut().println(HexFormat.of().formatHex(signature));
      }
      return ExitCodes.OK;
    }
  }
}
