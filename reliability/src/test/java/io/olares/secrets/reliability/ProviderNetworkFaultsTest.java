package io.olares.secrets.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.OlaresSecretStoreProvider;
import io.olares.secrets.provider.AppKeyAuth;
import io.olares.secrets.provider.IntegrationStoreProvider;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.provider.ProviderOp;
import io.olares.secrets.provider.ServiceAccountAuth;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fault.FaultProxy;
import io.olares.secrets.testing.fault.FaultProxy.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network faults between the provider client (generation 2, service-account token), the {@code
 * olares-integration} store or the {@code olares-secret} store and the in-process Olares, injected
 * by a proxy that forwards everything else: each fault ends in the documented outcome, after
 * exactly the number of calls stated, and the next call succeeds.
 *
 * <p>The provider transport repeats a read (and an {@code UpdateSecret}) after a transient failure:
 * 429, 502, 503, 504, 500 with {@code Retry-After}, a broken connection, and, for reads only, a
 * timeout or a body cut off. It waits what {@code Retry-After} asks, else backs off with jitter, at
 * most twice ({@code retries}, default 2) and within {@code retryMaxWait} (default 10 s). A 500
 * without {@code Retry-After} and a malformed body end the call at once, and a {@code CreateSecret}
 * is never sent twice once it may have reached the server. After a 401 it obtains a fresh
 * credential (a new access token in generation 1; the service-account token file read again in
 * generation 2) and, where that differs from the one refused, repeats the call once. The bare
 * client here records its waits instead of sleeping; the stores opened from configuration sleep for
 * real (at most a few seconds per test).
 */
@Tag("reliability")
class ProviderNetworkFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProviderOp RETRIEVE =
      ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");
  private static final String CALLS = "/provider/secret/RetrieveSecret";
  private static final String CREATES = "/provider/secret/CreateSecret";
  private static final String UPDATES = "/provider/secret/UpdateSecret";
  private static final String ACCOUNT = "/provider/integration/api/account/retrieve";

  @TempDir Path dir;
  private FakeOlares fake;
  private FaultProxy proxy;
  private OkHttpClient http;
  private ProviderClient client;
  private SecretStore integration;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeOlares.start();
    fake.registerApp("notes", "k", "s")
        .serviceAccount("sa-token-1")
        .grantProvider(FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME)
        .grantProvider(FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
    fake.secrets().put("alice", "notes", "prod", "API_KEY", "value-1");
    fake.integrations()
        .addAccount("alice", "google", "alice@gmail.com")
        .accessToken("ya29.token")
        .expiresAt(System.currentTimeMillis() + 3_600_000);
    Files.writeString(dir.resolve("token"), "sa-token-1");
    proxy = new FaultProxy(fake.systemServerUrl());
    http =
        new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(1))
            .callTimeout(Duration.ofSeconds(5))
            .build();
    client =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(dir.resolve("token")))
            .endpoint(proxy.url("/provider/secret"))
            .httpClient(http)
            .sleeper(sleeps::add)
            .build();
    integration =
        new IntegrationStoreProvider()
            .open(
                new StoreConfig(
                    "integration",
                    IntegrationStoreProvider.TYPE,
                    Map.of(
                        "endpoint",
                        proxy.url("/provider/integration").toString(),
                        "tokenFile",
                        dir.resolve("token").toString(),
                        "timeout",
                        "1s")),
                new StoreContext("notes", "alice", Clock.systemUTC(), name -> null, dir));
  }

  @AfterEach
  void tearDown() {
    integration.close();
    client.close();
    proxy.close();
    fake.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private JsonNode retrieve() {
    ObjectNode body = JSON.createObjectNode().put("name", "API_KEY").put("env", "prod");
    return client.call(RETRIEVE, body);
  }

  private String readAccount() {
    return integration
        .read(
            SecretRef.parse("integration://google/alice@gmail.com#accessToken"),
            AccessContext.of("notes", Operation.READ))
        .orElseThrow()
        .value()
        .revealString();
  }

  /** The fault, met once, is repeated past: the value is read after exactly two requests. */
  private void isRepeatedOnceAndTheValueRead(Fault fault) {
    proxy.inject(CALLS, fault, 1);

    assertThat(retrieve().path("value").asText()).as(fault.kind()).isEqualTo("value-1");
    assertThat(proxy.calls(CALLS)).as("calls after %s", fault.kind()).isEqualTo(2);
  }

  /**
   * The fault, met on every request, ends the call with {@code type} after exactly {@code calls}
   * requests; the next call succeeds.
   */
  private void failsAfterThenRecovers(
      Fault fault, int calls, Class<? extends SecretsException> type) {
    proxy.inject(CALLS, fault, calls);
    assertThatThrownBy(this::retrieve).as(fault.kind()).isInstanceOf(type);
    assertThat(proxy.calls(CALLS)).as("calls after %s", fault.kind()).isEqualTo(calls);

    assertThat(retrieve().path("value").asText()).isEqualTo("value-1");
    assertThat(proxy.calls(CALLS)).isEqualTo(calls + 1);
  }

  @Test
  void aConnectionResetMidBodyIsRepeatedOnce() {
    isRepeatedOnceAndTheValueRead(Fault.reset());
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void connectionResetsOnEveryRequestAreUnavailableAfterThreeCalls() {
    failsAfterThenRecovers(Fault.reset(), 3, StoreUnavailableException.class);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void noAnswerIsAReadTimeoutThatIsRepeatedOnce() {
    isRepeatedOnceAndTheValueRead(Fault.noAnswer());
  }

  @Test
  void noAnswerOnEveryRequestIsUnavailableAfterThreeCalls() {
    failsAfterThenRecovers(Fault.noAnswer(), 3, StoreUnavailableException.class);
  }

  @Test
  void aSlowBodyWithinTheReadTimeoutIsReadInOneCall() {
    proxy.inject(CALLS, Fault.slowBody(Duration.ofMillis(5)), 1);

    assertThat(retrieve().path("value").asText()).isEqualTo("value-1");
    assertThat(proxy.calls(CALLS)).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aBodySlowerThanTheCallTimeoutIsRepeatedOnce() {
    isRepeatedOnceAndTheValueRead(Fault.slowBody(Duration.ofMillis(400)));
  }

  @Test
  void a429WithRetryAfterIsRepeatedAfterTheWaitItAsks() {
    isRepeatedOnceAndTheValueRead(Fault.status(429, 1));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void a500WithRetryAfterIsRepeatedAfterTheWaitItAsks() {
    isRepeatedOnceAndTheValueRead(Fault.status(500, 2));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void a500WithoutRetryAfterIsUnavailableAfterOneCall() {
    failsAfterThenRecovers(Fault.status(500, null), 1, StoreUnavailableException.class);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void a503OnEveryRequestIsUnavailableAfterThreeCalls() {
    failsAfterThenRecovers(Fault.status(503, null), 3, StoreUnavailableException.class);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void aRetryAfterLongerThanRetryMaxWaitIsUnavailableAfterOneCall() {
    failsAfterThenRecovers(Fault.status(429, 30), 1, StoreUnavailableException.class);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void malformedJsonIsAnSdkErrorAfterOneCall() {
    failsAfterThenRecovers(Fault.malformedJson(), 1, SecretsException.class);
  }

  @Test
  void aCreateMeetingA503OrAResetIsNotRepeated() {
    ProviderOp create = RETRIEVE.withOp("CreateSecret?workspace=notes");
    ObjectNode body =
        JSON.createObjectNode().put("name", "NEW_KEY").put("value", "v").put("env", "prod");

    for (Fault fault : new Fault[] {Fault.status(503, 1), Fault.reset()}) {
      int before = proxy.calls(CREATES);
      proxy.inject(CREATES, fault, 1);
      assertThatThrownBy(() -> client.call(create, body))
          .as(fault.kind())
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("not repeated after 1 attempt");
      assertThat(proxy.calls(CREATES)).as("calls after %s", fault.kind()).isEqualTo(before + 1);
    }
    assertThat(sleeps).isEmpty();
  }

  @Test
  void a401ForATokenRotatedInFlightReadsTheNewTokenAndRepeatsTheCallOnce() {
    assertThat(retrieve().path("value").asText()).isEqualTo("value-1");
    proxy.inject(CALLS, Fault.unauthorizedAfter(this::rotateToken), 1);

    assertThat(retrieve().path("value").asText()).isEqualTo("value-1");
    assertThat(proxy.calls(CALLS)).isEqualTo(3);
  }

  @Test
  void a401WithAnUnchangedTokenIsAccessDeniedWithoutRepeatingTheCall() {
    proxy.inject(CALLS, Fault.unauthorized(), 1);

    assertThatThrownBy(this::retrieve).isInstanceOf(AccessDeniedException.class);
    assertThat(proxy.calls(CALLS)).isEqualTo(1);
    assertThat(retrieve().path("value").asText()).isEqualTo("value-1");
  }

  @Test
  void generationOneFetchesANewAccessTokenWhenSystemServerForgetsItsTokensMidRun() {
    fake.registerApp("legacy", "legacy-key", "legacy-secret")
        .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=legacy");
    fake.secrets().put("alice", "legacy", "prod", "API_KEY", "value-2");
    ProviderOp op =
        ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=legacy");
    ObjectNode body = JSON.createObjectNode().put("name", "API_KEY").put("env", "prod");
    try (SecretValue secret = SecretValue.ofString("legacy-secret");
        ProviderClient gen1 =
            ProviderClient.builder()
                .auth(
                    AppKeyAuth.builder()
                        .appKey("legacy-key")
                        .appSecret(secret)
                        .systemServer(proxy.url("/").toString())
                        .build())
                .httpClient(http)
                .build()) {
      assertThat(gen1.call(op, body).path("value").asText()).isEqualTo("value-2");
      fake.restart();

      assertThat(gen1.call(op, body).path("value").asText()).isEqualTo("value-2");
      assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(2);
      assertThat(proxy.calls("/system-server/v1alpha1/secret/")).isEqualTo(3);
      assertThat(proxy.calls("/permission/v1alpha1/access")).isEqualTo(2);
    }
  }

  /** What the kubelet does: a new token bound to the app, swapped into place atomically. */
  private void rotateToken() {
    try {
      fake.serviceAccount("sa-token-2", "notes");
      Path fresh = dir.resolve("token.new");
      Files.writeString(fresh, "sa-token-2-rotated");
      fake.serviceAccount("sa-token-2-rotated", "notes");
      Files.move(
          fresh,
          dir.resolve("token"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void olaresSecretReadsMeetEachFaultWithTheDocumentedOutcome() {
    try (SecretStore secret =
        new OlaresSecretStoreProvider()
            .open(
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
                        "1s")),
                new StoreContext("notes", "alice", Clock.systemUTC(), name -> null, dir))) {
      SecretRef ref = SecretRef.parse("secret://notes/prod/API_KEY");
      AccessContext read = AccessContext.of("notes", Operation.READ);
      java.util.function.Supplier<String> value =
          () -> secret.read(ref, read).orElseThrow().value().revealString();
      assertThat(value.get()).isEqualTo("value-1");
      int calls = proxy.calls(CALLS);

      for (Fault fault :
          new Fault[] {
            Fault.reset(), Fault.noAnswer(), Fault.status(429, 1), Fault.status(500, 1)
          }) {
        proxy.inject(CALLS, fault, 1);
        assertThat(value.get()).as("repeated after %s", fault.kind()).isEqualTo("value-1");
        assertThat(proxy.calls(CALLS)).as("calls after %s", fault.kind()).isEqualTo(calls + 2);
        calls += 2;
      }
      for (Fault fault : new Fault[] {Fault.status(500, null), Fault.malformedJson()}) {
        proxy.inject(CALLS, fault, 1);
        assertThatThrownBy(value::get).as(fault.kind()).isInstanceOf(SecretsException.class);
        assertThat(proxy.calls(CALLS)).as("calls after %s", fault.kind()).isEqualTo(calls + 1);
        assertThat(value.get()).as("recovered after %s", fault.kind()).isEqualTo("value-1");
        calls += 2;
      }
      proxy.inject(CALLS, Fault.status(503, null), 3);
      assertThatThrownBy(value::get).isInstanceOf(StoreUnavailableException.class);
      assertThat(proxy.calls(CALLS)).isEqualTo(calls + 3);
      calls += 3;
      proxy.inject(CALLS, Fault.unauthorizedAfter(this::rotateToken), 1);
      assertThat(value.get()).isEqualTo("value-1");
      assertThat(proxy.calls(CALLS)).isEqualTo(calls + 2);

      // a write first updates (safe to repeat), and creates only where nothing was there
      SecretRef existing = SecretRef.parse("secret://notes/prod/API_KEY");
      SecretRef fresh = SecretRef.parse("secret://notes/prod/NEW_KEY");
      AccessContext write = AccessContext.of("notes", Operation.WRITE);
      proxy.inject(UPDATES, Fault.status(503, null), 1);
      try (SecretValue v = SecretValue.ofString("value-2")) {
        secret.write(existing, v, write);
      }
      assertThat(proxy.calls(UPDATES)).isEqualTo(2);
      proxy.inject(CREATES, Fault.status(503, null), 1);
      try (SecretValue v = SecretValue.ofString("value-3")) {
        assertThatThrownBy(() -> secret.write(fresh, v, write))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("CreateSecret");
      }
      assertThat(proxy.calls(CREATES)).isEqualTo(1);
      assertThat(fake.secrets().get("alice", "notes", "prod", "API_KEY")).contains("value-2");
      assertThat(fake.secrets().get("alice", "notes", "prod", "NEW_KEY")).isEmpty();
    }
  }

  @Test
  void integrationReadsMeetEachFaultWithTheDocumentedOutcome() {
    assertThat(readAccount()).isEqualTo("ya29.token");
    int calls = proxy.calls(ACCOUNT);

    for (Fault fault :
        new Fault[] {Fault.reset(), Fault.noAnswer(), Fault.status(429, 1), Fault.status(500, 1)}) {
      proxy.inject(ACCOUNT, fault, 1);
      assertThat(readAccount()).as("repeated after %s", fault.kind()).isEqualTo("ya29.token");
      assertThat(proxy.calls(ACCOUNT)).as("calls after %s", fault.kind()).isEqualTo(calls + 2);
      calls += 2;
    }
    for (Fault fault : new Fault[] {Fault.status(500, null), Fault.malformedJson()}) {
      proxy.inject(ACCOUNT, fault, 1);
      assertThatThrownBy(this::readAccount).as(fault.kind()).isInstanceOf(SecretsException.class);
      assertThat(proxy.calls(ACCOUNT)).as("calls after %s", fault.kind()).isEqualTo(calls + 1);
      assertThat(readAccount()).as("recovered after %s", fault.kind()).isEqualTo("ya29.token");
      calls += 2;
    }
    proxy.inject(ACCOUNT, Fault.status(502, null), 3);
    assertThatThrownBy(this::readAccount)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("store 'integration'")
        .hasMessageContaining("after 3 attempts");
    assertThat(proxy.calls(ACCOUNT)).isEqualTo(calls + 3);
    calls += 3;
    proxy.inject(ACCOUNT, Fault.unauthorizedAfter(this::rotateToken), 1);
    assertThat(readAccount()).isEqualTo("ya29.token");
    assertThat(proxy.calls(ACCOUNT)).isEqualTo(calls + 2);
  }
}
