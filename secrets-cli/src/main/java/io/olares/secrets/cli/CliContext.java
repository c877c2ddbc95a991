package io.olares.secrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.Approver;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.config.SecretsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the facade the way the command line promises: {@code --config FILE}, else the file {@code
 * OLARES_SECRETS_CONFIG} names, else the embedded defaults under {@code ~/.olares-secrets}.
 */
final class CliContext {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GlobalOptions options;
  private final Function<String, String> variables;

  CliContext(GlobalOptions options) {
    this(options, SecretsConfig.systemVariables());
  }

  CliContext(GlobalOptions options, Function<String, String> variables) {
    this.options = options;
    this.variables = variables;
  }

  /** The configuration in force. */
  SecretsConfig config() {
    if (options.config != null) {
      return SecretsConfig.load(options.config, variables);
    }
    String fromEnv = variables.apply(SecretsConfig.ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return SecretsConfig.load(Path.of(fromEnv), variables);
    }
    return withLocalState(SecretsConfig.parse(embeddedDefaults(), "embedded defaults", variables));
  }

  /** The default vault: {@code ~/.olares-secrets/vault.db}. */
  static String defaultVaultUrl() {
    return "jdbc:sqlite:" + defaultHome().resolve("vault.db");
  }

  static Path defaultHome() {
    return Path.of(System.getProperty("user.home"), ".olares-secrets");
  }

  /**
   * The embedded defaults grow with what exists under {@code ~/.olares-secrets}: the vault once
   * {@code vault init} made it (when its passphrase is in the environment), and the device key once
   * {@code device new} wrote it.
   */
  private SecretsConfig withLocalState(SecretsConfig base) {
    SecretsConfig.Builder b = base.toBuilder();
    Path vaultFile = defaultHome().resolve("vault.db");
    String pass = variables.apply(Passphrase.ENV);
    if (Files.isRegularFile(vaultFile) && pass != null && !pass.isEmpty()) {
      b.store("vault", "vault", Map.of("url", defaultVaultUrl()));
    }
    return b.build();
  }

  /** The facade, with an extra approver where the command was given a device key. */
  Secrets open(Optional<Approver> approver) {
    SecretsConfig config = config();
    Secrets.Builder builder = Secrets.builder().config(config).environment(variables);
    if (options.app != null) {
      builder.app(options.app);
    } else if (config.app().isEmpty()) {
      builder.app("cli");
    }
    approver.ifPresent(builder::approver);
    return builder.build();
  }

  /** An approver over a device key file. */
  static Approver deviceApprover(Path keyFile, String name) {
    DeviceKey key = DeviceKey.load(keyFile);
    return new DeviceKeyApprover(key, name, Secrets.DEFAULT_APPROVAL_DOMAIN);
  }

  /** Where pending approval requests are kept between `get` and `get --approval`. */
  Path pendingDir() {
    Path home = config().home().orElse(Path.of(System.getProperty("user.home"), ".olares-secrets"));
    return home.resolve("pending-approvals");
  }

  /** Saves a request (public data: no secret) so a later `--approval JWS` can be matched. */
  void savePending(ApprovalRequest request) throws IOException {
    Path dir = pendingDir();
    Files.createDirectories(
        dir,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    prune(dir);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("audience", request.audience());
    m.put("subject", request.subject());
    m.put("operation", request.operation().wireName());
    m.put("app", request.app());
    m.put("nonce", request.nonce());
    m.put("issuedAt", request.issuedAt().toEpochMilli());
    Path tmp = Files.createTempFile(dir, ".pending-", ".json");
    Files.write(tmp, JSON.writeValueAsBytes(m));
    Files.move(
        tmp,
        dir.resolve(request.challenge() + ".json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The pending request whose challenge the approval signs. */
  ApprovalRequest loadPending(String challenge) throws IOException {
    if (!challenge.matches("[A-Za-z0-9_-]{1,128}")) {
      throw new ConfigurationException("the approval's challenge is not one this tool issued");
    }
    Path file = pendingDir().resolve(challenge + ".json");
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          "no pending approval request matches the approval's challenge: run `get` without"
              + " --approval first, then sign the challenge it prints");
    }
    Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
    ApprovalRequest request =
        new ApprovalRequest(
            String.valueOf(m.get("audience")),
            String.valueOf(m.get("subject")),
            io.olares.secrets.Operation.fromWireName(String.valueOf(m.get("operation"))),
            String.valueOf(m.get("app")),
            String.valueOf(m.get("nonce")),
            java.time.Instant.ofEpochMilli(((Number) m.get("issuedAt")).longValue()));
    if (!request.challenge().equals(challenge)) {
      throw new ConfigurationException("the pending approval request file was altered");
    }
    return request;
  }

  /** Drops pending requests older than a day: their approvals have long expired. */
  private static void prune(Path dir) {
    long cutoff = System.currentTimeMillis() - java.time.Duration.ofDays(1).toMillis();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException ignored) {
      // Pruning is housekeeping; a leftover file is harmless.
    }
  }

  private static String embeddedDefaults() {
    try (InputStream in = CliContext.class.getResourceAsStream("defaults.yaml")) {
      if (in == null) {
        throw new IllegalStateException("defaults.yaml is missing from the CLI jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the embedded defaults", e);
    }
  }
}
