package io.olares.secrets.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.audit.JsonLinesAuditSink;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.infisical.InfisicalAuth;
import io.olares.secrets.infisical.InfisicalOptions;
import io.olares.secrets.infisical.InfisicalStore;
import io.olares.secrets.infisical.OlaresSecretStoreProvider;
import io.olares.secrets.infisical.RetryPolicy;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.provider.IntegrationStoreProvider;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.provider.ProviderOp;
import io.olares.secrets.provider.ServiceAccountAuth;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.LogCapture;
import io.olares.secrets.testing.MemoryStoreProvider;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.Route;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fault.FaultProxy;
import io.olares.secrets.testing.fault.FaultProxy.Fault;
import io.olares.secrets.vault.ItemKind;
import io.olares.secrets.vault.KdfParams;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import io.olares.secrets.vault.VaultOptions;
import io.olares.secrets.vault.VaultStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One canary value threaded through every store (memory, vault, Infisical, the integration store,
 * the Olares secret store, the provider client) and through every error path this test can provoke:
 * denied, missing, approval missing or wrong, read-only store, server errors, malformed and
 * truncated replies that quote the value, timeouts. Everything the SDK produced on the way is then
 * scanned for the canary (and its base64 and hex forms): all captured log output (every level of
 * the SDK's loggers), every exception's messages and stack trace text, the {@code toString} of
 * every object handed out, and the audit file.
 */
@Tag("reliability")
class LeakCanaryTest {
  private static final String CANARY = "CANARY-7f3a9c1e-d0b2-4d55-a9e1-leak";
  private static final String APP = "shop";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<String> texts = new ArrayList<>();
  private final List<String> paths = new ArrayList<>();
  private int reads;

  /** Runs {@code step}, keeping its exception's text (if any) for the scan. */
  private void attempt(String path, ThrowingRunnable step) {
    paths.add(path);
    try {
      step.run();
    } catch (Throwable t) {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      texts.add(path + ": " + trace);
      for (Throwable c = t; c != null; c = c.getCause()) {
        texts.add(String.valueOf(c.getMessage()));
        texts.add(c.toString());
      }
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void keep(Object o) {
    texts.add(String.valueOf(o));
  }

  @Test
  void theScanWouldSeeTheCanaryWhereverItWasPrinted() throws Exception {
    assertThat(LogCapture.capture(() -> System.err.println("x " + CANARY + " y"))).contains(CANARY);
    assertThat(
            LogCapture.capture(
                () -> org.slf4j.LoggerFactory.getLogger("io.olares.secrets.x").trace(CANARY)))
        .contains(CANARY);
  }

  @Test
  void theCanaryNeverLeavesTheSdkThroughLogsMessagesToStringOrAudit() throws Exception {
    Path auditFile = dir.resolve("audit.jsonl");
    String logged = LogCapture.capture(() -> exerciseEveryStore(auditFile));

    String audit = Files.readString(auditFile);
    assertThat(audit).as("audit trail").isNotEmpty();
    assertThat(paths).hasSizeGreaterThan(40);
    assertThat(reads).as("reads that returned the canary").isGreaterThanOrEqualTo(6);
    assertThat(texts.stream().filter(t -> t.contains("Exception")).count())
        .as("error paths taken")
        .isGreaterThan(25);
    for (String form : forms()) {
      assertThat(logged).as("captured logs").doesNotContain(form);
      assertThat(audit).as("audit file").doesNotContain(form);
      for (String text : texts) {
        assertThat(text).as("exception or toString text").doesNotContain(form);
      }
    }
  }

  private static List<String> forms() {
    byte[] bytes = CANARY.getBytes(StandardCharsets.UTF_8);
    return List.of(
        CANARY,
        CANARY.substring(0, 20),
        Base64.getEncoder().encodeToString(bytes),
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
        java.util.HexFormat.of().formatHex(bytes));
  }

  private void exerciseEveryStore(Path auditFile) throws Exception {
    DeviceKey device = DeviceKey.generate();
    DeviceKeyApprover approver = new DeviceKeyApprover(device, "alice@olares.com", "olares.com");
    try (InfisicalFake infisical =
            InfisicalFake.builder()
                .project("p-1", "shop")
                .environments("p-1", "prod")
                .universalAuth("client", "client-secret")
                .start();
        FakeOlares olares = FakeOlares.start()) {
      olares
          .registerApp(APP, "k", "s")
          .serviceAccount("sa-token")
          .grantProvider(FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME)
          .grantProvider(FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
      olares
          .integrations()
          .addAccount("alice", "google", "alice@gmail.com")
          .accessToken(CANARY)
          .refreshToken(CANARY)
          .expiresAt(System.currentTimeMillis() + 3_600_000);
      olares.secrets().put("alice", APP, "prod", "API_KEY", CANARY);
      Files.writeString(dir.resolve("token"), "sa-token");
      FaultProxy proxy = new FaultProxy(olares.systemServerUrl());

      Vault vault =
          Vault.init(
              "jdbc:sqlite:" + dir.resolve("vault.db"),
              "vault passphrase".toCharArray(),
              new KdfParams(256, 2, 1),
              VaultOptions.builder().kdfFloor(new KdfParams(64, 1, 1)).build());
      try (VaultAdmin admin = vault.admin("vault passphrase".toCharArray())) {
        admin.trust(device.did());
      }
      InfisicalStore infisicalStore;
      try (SecretValue clientSecret = SecretValue.ofString("client-secret")) {
        infisicalStore =
            InfisicalStore.open(
                "infisical",
                InfisicalOptions.builder(
                        infisical.url(), InfisicalAuth.universal("client", clientSecret))
                    .readTimeout(Duration.ofMillis(500))
                    .callTimeout(Duration.ofSeconds(2))
                    .retry(
                        new RetryPolicy(
                            2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1)))
                    .build(),
                StoreContext.system(APP));
      }
      PolicyConfig policy =
          PolicyConfig.empty()
              .withApp(APP)
              .withGrants(
                  List.of(
                      new Grant.RefGrant(
                          null,
                          "infisical://shop/prod/**",
                          Set.of(
                              Operation.READ, Operation.WRITE, Operation.DELETE, Operation.LIST)),
                      new Grant.RefGrant(
                          null,
                          "integration://google/**",
                          Set.of(Operation.READ, Operation.LIST))));
      try (Secrets secrets =
          Secrets.builder()
              .app(APP)
              .user("alice")
              .home(dir)
              .discovery(false)
              .provider(new MemoryStoreProvider())
              .provider(new IntegrationStoreProvider())
              .provider(new OlaresSecretStoreProvider())
              .storeConfig(
                  new StoreConfig(
                      "secret",
                      OlaresSecretStoreProvider.TYPE,
                      Map.of(
                          "generation",
                          "2",
                          "endpoint",
                          proxy.url("/provider/secret").toString(),
                          "tokenFile",
                          dir.resolve("token").toString(),
                          "timeout",
                          "1s")))
              .storeConfig(
                  new StoreConfig(
                      "mem", "memory", Map.of("classification", "application_credential")))
              .storeConfig(
                  new StoreConfig(
                      "integration",
                      IntegrationStoreProvider.TYPE,
                      Map.of(
                          "endpoint",
                          proxy.url("/provider/integration").toString(),
                          "tokenFile",
                          dir.resolve("token").toString(),
                          "timeout",
                          "1s")))
              .store(new VaultStore("vault", vault, ItemKind.API_SECRET))
              .store(infisicalStore)
              .policy(new DefaultPolicy(policy))
              .approver(approver)
              .cache(CacheOptions.DEFAULTS)
              .audit(JsonLinesAuditSink.openAsync(auditFile))
              .environment(Map.<String, String>of()::get)
              .build()) {
        keep(secrets);
        memory(secrets);
        vault(secrets, approver);
        infisical(secrets, infisical);
        integration(secrets, proxy);
        olaresSecret(secrets, proxy);
        provider(proxy);
        keep(secrets.cacheStats());
      } finally {
        proxy.close();
      }
    }
  }

  /** A read that must succeed and return the canary. */
  private void use(Secrets secrets, String ref) {
    paths.add("read " + ref);
    try (Secret s = secrets.get(ref)) {
      keep(s);
      keep(s.value());
      keep(s.metadata());
      assertThat(s.value().revealString()).as(ref).isEqualTo(CANARY);
      reads++;
    }
  }

  private void put(Secrets secrets, String ref) {
    attempt(
        "write " + ref,
        () -> {
          try (SecretValue v = SecretValue.ofString(CANARY)) {
            keep(v);
            secrets.put(ref, v);
          }
        });
  }

  private void memory(Secrets secrets) {
    put(secrets, "mem://shop/db/password");
    use(secrets, "mem://shop/db/password");
    use(secrets, "mem://shop/db/password"); // from the cache
    attempt("read another app's credential", () -> secrets.get("mem://other/db/password"));
    attempt("read a missing secret", () -> secrets.get("mem://shop/db/missing"));
    attempt("list", () -> keep(secrets.list("mem://shop")));
    attempt("read a bad reference", () -> secrets.get("mem://shop/../" + CANARY));
    attempt("delete", () -> secrets.delete("mem://shop/db/password"));
  }

  private void vault(Secrets secrets, DeviceKeyApprover approver) {
    put(secrets, "vault://personal/github");
    use(secrets, "vault://personal/github");
    SecretRef ref = SecretRef.parse("vault://personal/github");
    Approval approval = approver.approve(secrets.requestApproval(ref, Operation.READ));
    keep(approval);
    attempt("vault read with an approval", () -> secrets.get(ref, approval).close());
    attempt("vault replayed approval", () -> secrets.get(ref, approval).close());
    put(secrets, "vault://personal/other");
    Approval other =
        approver.approve(
            secrets.requestApproval(SecretRef.parse("vault://personal/other"), Operation.READ));
    attempt("vault approval for another item", () -> secrets.get(ref, other).close());
    attempt(
        "vault approval request for a missing item",
        () -> secrets.requestApproval(SecretRef.parse("vault://personal/missing"), Operation.READ));
    attempt(
        "vault forged approval",
        () -> secrets.get(ref, new Approval(approval.request(), CANARY + ".x.y")).close());
    attempt("vault missing item", () -> secrets.get("vault://personal/missing"));
    attempt("vault list", () -> keep(secrets.list("vault://personal")));
  }

  private void infisical(Secrets secrets, InfisicalFake fake) {
    String ref = "infisical://shop/prod/DB_PASSWORD";
    put(secrets, ref);
    secrets.invalidateCache();
    use(secrets, ref);
    for (var fault :
        List.of(
            io.olares.secrets.testing.fake.infisical.Fault.malformedJson(),
            io.olares.secrets.testing.fake.infisical.Fault.resetMidBody(),
            io.olares.secrets.testing.fake.infisical.Fault.status(500),
            io.olares.secrets.testing.fake.infisical.Fault.stall())) {
      fake.inject(Route.GET_SECRET, fault, 2);
      secrets.invalidateCache();
      attempt("infisical read, " + fault, () -> secrets.get(ref).close());
      fake.clearFaults();
    }
    fake.inject(Route.UPDATE_SECRET, io.olares.secrets.testing.fake.infisical.Fault.status(500));
    put(secrets, ref);
    fake.clearFaults();
    fake.revokeAllTokens();
    secrets.invalidateCache();
    use(secrets, ref);
    attempt("infisical list", () -> keep(secrets.list("infisical://shop/prod")));
    attempt("infisical missing", () -> secrets.get("infisical://shop/prod/NOPE"));
    attempt("infisical denied environment", () -> secrets.get("infisical://shop/dev/DB_PASSWORD"));
    attempt("infisical delete", () -> secrets.delete(ref));
  }

  private void integration(Secrets secrets, FaultProxy proxy) {
    String ref = "integration://google/alice@gmail.com#accessToken";
    use(secrets, ref);
    String account = "/provider/integration/api/account/retrieve";
    String quoting =
        "{\"code\":0,\"message\":\"\",\"data\":{\"name\":\"alice@gmail.com\",\"type\":\"google\","
            + "\"rawData\":{\"accessToken\":\""
            + CANARY;
    for (Fault fault :
        List.of(
            Fault.answer(200, quoting),
            Fault.answer(
                500, "{\"code\":500,\"message\":\"upstream said " + CANARY.length() + "\"}"),
            Fault.reset(),
            Fault.noAnswer(),
            Fault.status(429, 1))) {
      proxy.inject(account, fault, attemptsMeeting(fault));
      secrets.invalidateCache();
      attempt("integration read, " + fault.kind(), () -> secrets.get(ref).close());
    }
    attempt(
        "integration write to a read-only store",
        () -> {
          try (SecretValue v = SecretValue.ofString(CANARY)) {
            secrets.put(ref, v);
          }
        });
    attempt(
        "integration refresh token",
        () -> secrets.get(ref.replace("accessToken", "refreshToken")).close());
  }

  /**
   * How many requests a read sends while the fault lasts: a fault the provider transport repeats
   * past (a broken connection, a timeout, 429, 500 with {@code Retry-After}) is injected for all
   * three (the first and two repeats), so that the error path and its retry logs are scanned too.
   */
  private static int attemptsMeeting(Fault fault) {
    boolean repeated =
        switch (fault.kind()) {
          case "reset", "no answer" -> true;
          default ->
              fault.status() == 429 || (fault.status() >= 500 && fault.retryAfterSeconds() != null);
        };
    return repeated ? 3 : 1;
  }

  private void olaresSecret(Secrets secrets, FaultProxy proxy) {
    use(secrets, "secret://shop/prod/API_KEY");
    put(secrets, "secret://shop/prod/OTHER_KEY");
    secrets.invalidateCache();
    use(secrets, "secret://shop/prod/OTHER_KEY");
    String path = "/provider/secret/RetrieveSecret";
    for (Fault fault :
        List.of(
            Fault.answer(200, "{\"code\":0,\"data\":{\"name\":\"API_KEY\",\"value\":\"" + CANARY),
            Fault.status(500, 1),
            Fault.reset())) {
      proxy.inject(path, fault, attemptsMeeting(fault));
      secrets.invalidateCache();
      attempt(
          "olares-secret read, " + fault.kind(),
          () -> secrets.get("secret://shop/prod/API_KEY").close());
    }
    attempt(
        "olares-secret another app's workspace", () -> secrets.get("secret://other/prod/API_KEY"));
    attempt("olares-secret list", () -> keep(secrets.list("secret://shop/prod")));
    attempt("olares-secret delete", () -> secrets.delete("secret://shop/prod/OTHER_KEY"));
  }

  private void provider(FaultProxy proxy) throws Exception {
    Path token = dir.resolve("token");
    try (ProviderClient client =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(token))
            .endpoint(proxy.url("/provider/secret"))
            .build()) {
      keep(client);
      ProviderOp op =
          ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=shop");
      var body = JSON.createObjectNode().put("name", "API_KEY").put("env", "prod");
      attempt(
          "provider call",
          () -> assertThat(client.call(op, body).path("value").asText()).isEqualTo(CANARY));
      String path = "/provider/secret/RetrieveSecret";
      for (Fault fault :
          List.of(
              Fault.answer(200, "{\"code\":0,\"data\":{\"value\":\"" + CANARY),
              Fault.answer(400, "not json " + CANARY.length()),
              Fault.status(500, 2),
              Fault.unauthorized(),
              Fault.reset())) {
        proxy.inject(path, fault, attemptsMeeting(fault));
        attempt("provider call, " + fault.kind(), () -> client.call(op, body));
      }
      keep(client.lastAuthError());
    }
  }
}
