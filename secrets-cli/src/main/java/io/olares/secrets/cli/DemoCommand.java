package io.olares.secrets.cli;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.audit.AuditVerifier;
import io.olares.secrets.audit.JsonLinesAuditSink;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.provider.manifest.OlaresManifest;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.vault.ItemKind;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import io.olares.secrets.vault.VaultItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: every Olares classification resolved through one {@link Secrets} facade as the app
 * {@code demo}, with real stores (an Argon2id/AES-GCM vault in SQLite, a kubelet-style secret
 * volume) and, for the tiers that live on an Olares server, in-process fakes on 127.0.0.1 that
 * speak the documented protocols.
 */
@Command(
    name = "demo",
    description =
        "The main job: resolves a secret of every classification through one Secrets facade,"
            + " showing allowed, denied and approval-required reads and the audit trail.")
final class DemoCommand implements Callable<Integer> {
  static final String APP = "demo";
  static final String USER = "alice";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "D",
      description = "Work in this directory and keep it (default: a temporary one, removed after).")
  Path dir;

  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    boolean keep = dir != null;
    Path work = keep ? Files.createDirectories(dir) : Files.createTempDirectory("olares-demo-");
    try {
      run(work);
    } finally {
      out.flush();
      if (!keep) {
        deleteTree(work);
      }
    }
    return ExitCodes.OK;
  }

  private void run(Path work) throws Exception {
    out.println("olares-secrets demo: one Secrets facade, app '" + APP + "', user '" + USER + "'");
    out.println("working directory: " + work);
    out.println();
    out.println("== setup");

    DeviceKey device = DeviceKey.generate();
    Path keyFile = work.resolve("device.key");
    device.save(keyFile);
    say("device key (LarePass' role)", device.did() + "  [" + keyFile.getFileName() + ", 0600]");

    String passphrase = randomToken(24);
    String vaultUrl = "jdbc:sqlite:" + work.resolve("vault.db");
    char[] pass = passphrase.toCharArray();
    try (Vault vault = Vault.init(vaultUrl, pass);
        VaultAdmin admin = vault.admin(pass)) {
      admin.trust(device.did());
      try (SecretValue pw = SecretValue.ofString(randomToken(20))) {
        vault.put(
            "personal/github",
            VaultItem.builder(ItemKind.LOGIN)
                .field("username", SecretValue.ofString("alice"))
                .field("password", pw)
                .field("url", SecretValue.ofString("https://github.com"))
                .build());
      }
      say(
          "vault (end-to-end encrypted)",
          "vault.db, Argon2id "
              + vault.kdfParams()
              + ", trusts the device key; item personal/github");
    } finally {
      java.util.Arrays.fill(pass, '\0');
    }

    Path podVolume =
        kubeletVolume(work.resolve("pod/db-credentials"), Map.of("password", randomToken(16)));
    say("pod secret volume", "pod/db-credentials/password behind the kubelet's ..data link");

    try (FakeOlares olares = FakeOlares.start(USER, Clock.systemUTC())) {
      String saToken = "demo-sa-" + randomToken(12);
      Path tokenFile = work.resolve("serviceaccount-token");
      Files.writeString(tokenFile, saToken);
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
      olares.serviceAccount(saToken, APP);
      olares.grantProvider(
          APP, FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
      olares.grantProvider(APP, FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
      olares.secrets().put(USER, APP, "prod", "API_TOKEN", randomToken(18));
      olares.secrets().put(USER, "billing", "prod", "STRIPE_KEY", randomToken(18));
      olares
          .integrations()
          .addAccount(USER, "google", "alice@gmail.com")
          .accessToken("ya29." + randomToken(24))
          .expiresAt(System.currentTimeMillis() + Duration.ofHours(1).toMillis());
      say(
          "Olares stand-in",
          "in-process fake of system-server, secret and integration providers on "
              + olares.systemServerUrl().host()
              + ":"
              + olares.systemServerUrl().port()
              + " (a real Olares serves these; the SDK speaks the same wire protocol)");

      Path manifest = work.resolve("OlaresManifest.yaml");
      Files.writeString(manifest, MANIFEST);
      OlaresManifest parsed = OlaresManifest.parse(manifest, null);
      say("grants from OlaresManifest.yaml", parsed.grants().size() + " grant(s)");
      for (var g : parsed.grants()) {
        out.println("      " + describe(g));
      }

      Path audit = work.resolve("audit.jsonl");
      PolicyConfig policy =
          PolicyConfig.empty().withApp(APP).withUser(USER).withGrants(parsed.grants());
      Map<String, String> env = Map.of("OLARES_VAULT_PASSPHRASE", passphrase);
      try (Secrets secrets =
          Secrets.builder()
              .app(APP)
              .user(USER)
              .home(work)
              .environment(name -> env.containsKey(name) ? env.get(name) : System.getenv(name))
              .storeConfig(new StoreConfig("vault", "vault", Map.of("url", vaultUrl)))
              .storeConfig(
                  new StoreConfig(
                      "integration",
                      "olares-integration",
                      Map.of(
                          "endpoint", olares.integrationProviderUrl().toString(),
                          "tokenFile", tokenFile.toString(),
                          "user", USER)))
              .storeConfig(
                  new StoreConfig(
                      "olares-secret",
                      "olares-secret",
                      Map.of(
                          "generation", "2",
                          "endpoint", olares.secretProviderUrl().toString(),
                          "tokenFile", tokenFile.toString())))
              .storeConfig(
                  new StoreConfig(
                      "pod",
                      "pod",
                      Map.of("namespace", APP + "-" + USER, "roots", List.of(work.toString()))))
              .policy(new DefaultPolicy(policy))
              .audit(JsonLinesAuditSink.openAsync(audit))
              .build()) {
        out.println("   stores: " + secrets.stores());
        out.println();
        out.println("== reads as app '" + APP + "'");
        read(secrets, "olares-secret://demo/prod/API_TOKEN", null);
        int before = olares.counts().values().stream().mapToInt(Integer::intValue).sum();
        read(secrets, "olares-secret://billing/prod/STRIPE_KEY", null);
        int after = olares.counts().values().stream().mapToInt(Integer::intValue).sum();
        out.println(
            "      (requests the Olares stand-in saw for that read: " + (after - before) + ")");
        read(secrets, "integration://google/alice@gmail.com#accessToken", null);
        read(secrets, "pod://file" + podVolume + "/password", null);
        read(secrets, "vault://personal/github#password", null);

        out.println();
        out.println("== the approval-required read, approved by the local device key");
        SecretRef vaultRef = SecretRef.parse("vault://personal/github#password");
        Approval approval;
        try {
          secrets.get(vaultRef).close();
          throw new IllegalStateException("the vault read went through without an approval");
        } catch (ApprovalRequiredException e) {
          out.println("   challenge " + e.challenge() + " -> signed by " + device.did());
          approval =
              new DeviceKeyApprover(device, USER + "@olares.local", Secrets.DEFAULT_APPROVAL_DOMAIN)
                  .approve(e.request());
        }
        try (Secret s = secrets.get(vaultRef, approval)) {
          result("allow", vaultRef, "approved read returned " + s.value().length() + " bytes");
        }
        try {
          secrets.get(vaultRef, approval).close();
        } catch (AccessDeniedException e) {
          result("deny", vaultRef, "the same approval again: " + e.getMessage());
        }
      }

      out.println();
      out.println("== audit trail");
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      List<String> lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
      int width = 9;
      for (String line : lines) {
        width = Math.max(width, json.readTree(line).path("reference").asText().length());
      }
      for (String line : lines) {
        var event = json.readTree(line);
        out.printf(
            "   %2s %-6s %-" + width + "s  %-18s %s%n",
            event.path("seq").asText(),
            event.path("operation").asText(),
            event.path("reference").asText(),
            event.path("decision").asText(),
            event.path("outcome").asText());
      }
      AuditVerifier.Result verified = AuditVerifier.verify(audit);
      out.println("   " + audit.getFileName() + ": " + verified.describe());
      if (!verified.ok()) {
        throw new io.olares.secrets.IntegrityException("the demo's audit trail does not verify");
      }
    }
  }

  private void read(Secrets secrets, String text, String note) {
    SecretRef ref = SecretRef.parse(text);
    Decision d = secrets.check(ref, Operation.READ);
    String classification = secrets.describe(ref).classification().name();
    out.println(
        "   "
            + classification
            + "  "
            + ref
            + "\n      policy: "
            + d.verdict().name().toLowerCase(java.util.Locale.ROOT)
            + " ("
            + d.reason()
            + ")");
    try (Secret s = secrets.get(ref)) {
      result(
          "allow",
          ref,
          "read " + s.value().length() + " bytes" + (note == null ? "" : "; " + note));
    } catch (ApprovalRequiredException e) {
      result("approval required", ref, "no approver configured: the read needs a signature");
    } catch (AccessDeniedException e) {
      result(
          "deny",
          ref,
          d.allowed()
              ? e.getMessage()
              : e.getClass().getSimpleName() + " before the store was asked for anything");
    }
  }

  private static String describe(io.olares.secrets.policy.Grant g) {
    if (g instanceof io.olares.secrets.policy.Grant.SysDataGrant s) {
      return "sysData " + s.dataType() + "/" + s.group() + "/" + s.version() + " ops " + s.ops();
    }
    if (g instanceof io.olares.secrets.policy.Grant.ProviderGrant p) {
      return "provider " + p.appName() + "/" + p.providerName();
    }
    return g.toString();
  }

  private void result(String outcome, SecretRef ref, String detail) {
    out.println("      -> " + outcome + ": " + detail);
  }

  private void say(String what, String detail) {
    out.println("   " + what + ": " + detail);
  }

  /** A Secret volume as the kubelet lays it out: timestamped dir, ..data link, key links. */
  private static Path kubeletVolume(Path mount, Map<String, String> data) throws IOException {
    Files.createDirectories(mount);
    Path version = mount.resolve("..2026_12_04_00_00_00.000000001");
    Files.createDirectories(version);
    for (var e : data.entrySet()) {
      Files.writeString(version.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
    Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
    for (String key : data.keySet()) {
      Files.createSymbolicLink(mount.resolve(key), Path.of("..data", key));
    }
    return mount;
  }

  private static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static final String MANIFEST =
      String.join(
          "\n",
          "olaresManifest.version: '0.10.0'",
          "metadata:",
          "  name: demo",
          "  appid: demo",
          "permission:",
          "  sysData:",
          "    - dataType: secret",
          "      group: secret.infisical",
          "      version: v1",
          "      ops: [ \"RetrieveSecret?workspace=demo\", \"ListSecret?workspace=demo\" ]",
          "  provider:",
          "    - appName: integration",
          "      providerName: account",
          "      namespace: os-protected",
          "");
}
