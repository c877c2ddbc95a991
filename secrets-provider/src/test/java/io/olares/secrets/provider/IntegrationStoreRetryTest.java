package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.provider.internal.IntegrationStore;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.LogCapture;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fake.olares.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code olares-integration} store repeats its reads (every call it makes is one) after
 * transient failures of the fake integration provider, within the budget its options set.
 */
class IntegrationStoreRetryTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String TOKEN = "ya29.CANARY-integration-6203";
  private static final AccessContext READ = AccessContext.of("photoframe", Operation.READ);
  private static final AccessContext LIST = AccessContext.of("photoframe", Operation.LIST);
  private static final SecretRef ACCOUNT = SecretRef.parse("integration://google/alice@gmail.com");
  private static final String RETRIEVE = "POST /provider/integration/api/account/retrieve";
  private static final String LIST_ACCOUNTS = "POST /provider/integration/api/account/list";

  @TempDir Path dir;
  private FakeOlares fake;
  private SecretStore store;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeOlares.start("alice", Clock.fixed(NOW, ZoneOffset.UTC));
    fake.registerApp("photoframe", "k", "s")
        .serviceAccount("sa-token")
        .grantProvider(FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
    fake.integrations()
        .addAccount("alice", "google", "alice@gmail.com")
        .accessToken(TOKEN)
        .expiresAt(NOW.plusSeconds(3600).toEpochMilli());
    Files.writeString(dir.resolve("token"), "sa-token");
  }

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    fake.close();
  }

  private Map<String, Object> options(String... more) {
    Map<String, Object> options = new HashMap<>();
    options.put("endpoint", fake.integrationProviderUrl().toString());
    options.put("tokenFile", dir.resolve("token").toString());
    for (int i = 0; i < more.length; i += 2) {
      options.put(more[i], more[i + 1]);
    }
    return options;
  }

  private SecretStore open(Map<String, Object> options) {
    StoreContext context =
        new StoreContext(
            "photoframe", "alice", Clock.fixed(NOW, ZoneOffset.UTC), name -> null, dir);
    store =
        IntegrationStore.open(
            new StoreConfig("integration", IntegrationStoreProvider.TYPE, options),
            context,
            sleeps::add);
    return store;
  }

  private String read(SecretStore s) {
    try (Secret secret = s.read(ACCOUNT, READ).orElseThrow()) {
      return secret.value().revealString();
    }
  }

  private long requests(String line) {
    return fake.requestLines().stream().filter(line::equals).count();
  }

  @Test
  void anAccountReadIsRepeatedAfterTransientFailuresAndReturnsTheToken() {
    fake.failNext("proxy", 1, FakeReply.text(503, "restarting"));
    fake.failNext("proxy", 1, FakeReply.text(429, "slow down"));

    assertThat(read(open(options()))).isEqualTo(TOKEN);
    assertThat(requests(RETRIEVE)).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void aPersistentFailureEndsAfterThreeRequestsWithAMessageNamingStoreCallStatusAndAttempts()
      throws Exception {
    fake.failNext("proxy", 3, FakeReply.text(502, "bad gateway"));
    SecretStore s = open(options());
    StoreUnavailableException[] thrown = new StoreUnavailableException[1];

    String logged =
        LogCapture.capture(
            () -> {
              try {
                read(s);
              } catch (StoreUnavailableException e) {
                thrown[0] = e;
              }
            });

    assertThat(thrown[0])
        .hasMessageContaining("store 'integration'")
        .hasMessageContaining("POST /provider/integration/api/account/retrieve")
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining("after 3 attempts")
        .hasMessageNotContaining("sa-token");
    assertThat(logged).contains("repeating in").doesNotContain("sa-token");
    assertThat(requests(RETRIEVE)).isEqualTo(3);
    assertThat(read(s)).isEqualTo(TOKEN);
  }

  @Test
  void aListingIsRepeatedToo() {
    fake.failNext("proxy", 1, FakeReply.text(504, "gateway timeout"));

    assertThat(open(options()).list(SecretRef.parsePrefix("integration://google"), LIST))
        .hasSize(1);
    assertThat(requests(LIST_ACCOUNTS)).isEqualTo(2);
  }

  @Test
  void retriesZeroSendsEveryReadOnce() {
    fake.failNext("proxy", 1, FakeReply.text(503, "restarting"));

    assertThatThrownBy(() -> read(open(options("retries", "0"))))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("after 1 attempt");
    assertThat(requests(RETRIEVE)).isEqualTo(1);
  }

  @Test
  void moreRetriesRideOutALongerOutage() {
    fake.failNext("proxy", 4, FakeReply.text(503, "restarting"));

    assertThat(read(open(options("retries", "4", "retryMaxWait", "1m")))).isEqualTo(TOKEN);
    assertThat(requests(RETRIEVE)).isEqualTo(5);
    assertThat(sleeps).hasSize(4);
  }

  @Test
  void theLegacyApiRepeatsItsReadsToo() {
    String key = "0123456789abcdef0123456789abcdef";
    fake.randomKey(key);
    fake.failNext("legacy", 1, FakeReply.text(503, "restarting"));
    StoreContext context =
        new StoreContext(
            "photoframe",
            "alice",
            Clock.fixed(NOW, ZoneOffset.UTC),
            Map.of("OS_SYSTEM_SERVER", fake.systemServerHost(), "APP_RANDOM_KEY", key)::get,
            dir);
    store =
        IntegrationStore.open(
            new StoreConfig("integration", IntegrationStoreProvider.TYPE, Map.of("api", "legacy")),
            context,
            sleeps::add);

    assertThat(read(store)).isEqualTo(TOKEN);
    assertThat(fake.requestLines()).filteredOn(l -> l.endsWith("/api/account/retrieve")).hasSize(2);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "retries, many, must be an integer",
    "retries, -1, must be between 0 and 10",
    "retries, 11, must be between 0 and 10",
    "retryMaxWait, soon, must be a duration",
    "retryMaxWait, -1s, must be between 0s and 10m",
    "retryMaxWait, 11m, must be between 0s and 10m",
    "timeout, -1s, must be between 1ms and 10m",
    "timeout, 0s, must be between 1ms and 10m",
    "timeout, 11m, must be between 1ms and 10m",
    "timeout, P99999999D, must be between 1ms and 10m"
  })
  void aBadRetryOptionIsAConfigurationErrorNamingIt(String option, String value, String rule) {
    assertThatThrownBy(
            () ->
                new IntegrationStoreProvider()
                    .open(
                        new StoreConfig(
                            "integration", IntegrationStoreProvider.TYPE, options(option, value)),
                        new StoreContext(
                            "photoframe",
                            "alice",
                            Clock.fixed(NOW, ZoneOffset.UTC),
                            name -> null,
                            dir)))
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessageContaining("store 'integration'")
        .hasMessageContaining("option '" + option + "'")
        .hasMessageContaining(rule);
  }

  @Test
  void anUnknownOptionIsLoggedByNameOnceAndIgnored() throws Exception {
    String logged = LogCapture.capture(() -> open(options("retires", "2", "colour", "CANARY-7")));

    assertThat(read(store)).isEqualTo(TOKEN);
    assertThat(logged)
        .containsOnlyOnce("store 'integration' (olares-integration): option 'retires' is not known")
        .containsOnlyOnce("option 'colour' is not known")
        .doesNotContain("CANARY-7")
        .doesNotContain("option 'endpoint' is not known");
  }

  @Test
  void aReasonableTimeoutIsAccepted() {
    assertThat(read(open(options("timeout", "2s")))).isEqualTo(TOKEN);
  }
}
