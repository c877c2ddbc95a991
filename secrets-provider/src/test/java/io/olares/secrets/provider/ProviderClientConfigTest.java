package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderClientConfigTest {
  @TempDir Path dir;
  private FakeOlares fake;

  @BeforeEach
  void setUp() {
    fake = FakeOlares.start();
    fake.registerApp("notes", "notes-key", "notes-secret")
        .grantSysData("secret", "secret.infisical", "v1", "ListSecret")
        .serviceAccount("sa")
        .grantProvider(FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
    fake.secrets().put("alice", "notes", "prod", "K", "v");
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  private StoreContext context(Map<String, String> env) {
    return new StoreContext("notes", "alice", Clock.systemUTC(), env::get, dir);
  }

  @Test
  void theAppKeyInTheEnvironmentChoosesGenerationOne() {
    Map<String, String> env =
        Map.of(
            "OS_APP_KEY", "notes-key",
            "OS_APP_SECRET", "notes-secret",
            "OS_SYSTEM_SERVER", fake.systemServerHost());
    try (ProviderClient client =
        ProviderClient.fromConfig(new StoreConfig("s", "t", Map.of()), context(env), null)) {
      assertThat(client.generation()).isEqualTo(Generation.SYS_DATA);
      assertThat(
              client
                  .call("secret", "secret.infisical", "v1", "ListSecret?workspace=notes", null)
                  .size())
          .isEqualTo(1);
    }
  }

  @Test
  void generationTwoTakesTheTokenFileAndTheEndpoint() throws IOException {
    Files.writeString(dir.resolve("token"), "sa");
    StoreConfig config =
        new StoreConfig(
            "s",
            "t",
            Map.of(
                "generation", "provider",
                "tokenFile", dir.resolve("token").toString(),
                "endpoint", fake.secretProviderUrl().toString()));
    try (ProviderClient client = ProviderClient.fromConfig(config, context(Map.of()), null)) {
      assertThat(client.generation()).isEqualTo(Generation.PROVIDER);
      assertThat(
              client
                  .call(
                      "secret",
                      "secret.infisical",
                      "v1",
                      "RetrieveSecret?workspace=notes",
                      new ObjectMapper().createObjectNode().put("name", "K"))
                  .path("value")
                  .asText())
          .isEqualTo("v");
    }
  }

  @Test
  void aMissingSettingIsNamed() {
    assertThatThrownBy(
            () ->
                ProviderClient.fromConfig(
                    new StoreConfig("s", "t", Map.of("generation", "1", "appKey", "k")),
                    context(Map.of()),
                    null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OS_APP_SECRET");
    assertThatThrownBy(
            () ->
                ProviderClient.fromConfig(
                    new StoreConfig("s", "t", Map.of("generation", "2")), context(Map.of()), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'endpoint'");
  }

  @Test
  void retryOptionsDefaultToTwoRepeatsWithinTenSeconds() {
    assertThat(ProviderRetry.fromConfig(new StoreConfig("s", "t", Map.of())))
        .isEqualTo(ProviderRetry.DEFAULT);
    assertThat(ProviderRetry.DEFAULT.retries()).isEqualTo(2);
    assertThat(ProviderRetry.DEFAULT.maxWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(
            ProviderRetry.fromConfig(
                new StoreConfig("s", "t", Map.of("retries", "5", "retryMaxWait", "30s"))))
        .isEqualTo(ProviderRetry.of(5, Duration.ofSeconds(30)));
  }

  @Test
  void aBadRetryOptionOfAProviderClientIsNamed() {
    Map<String, String> env =
        Map.of(
            "OS_APP_KEY", "notes-key",
            "OS_APP_SECRET", "notes-secret",
            "OS_SYSTEM_SERVER", fake.systemServerHost());
    assertThatThrownBy(
            () ->
                ProviderClient.fromConfig(
                    new StoreConfig("secret", "olares-secret", Map.of("retries", "lots")),
                    context(env),
                    null))
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessageContaining("store 'secret'")
        .hasMessageContaining("option 'retries' must be an integer");
    assertThatThrownBy(
            () ->
                ProviderClient.fromConfig(
                    new StoreConfig("secret", "olares-secret", Map.of("retryMaxWait", "1h")),
                    context(env),
                    null))
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'retryMaxWait' must be between 0s and 10m");
  }

  @Test
  void aRetryPolicyOutOfRangeIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> ProviderRetry.of(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retries");
    assertThatThrownBy(() -> ProviderRetry.of(11, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProviderRetry.of(1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(
            () -> new ProviderRetry(1, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDelay");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}: {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "timeout, -1s, must be between 1ms and 10m",
    "timeout, 0s, must be between 1ms and 10m",
    "timeout, 11m, must be between 1ms and 10m",
    "timeout, P99999999D, must be between 1ms and 10m",
    "timeout, soon, must be a duration",
    "renewBefore, -1s, must be between 1ms and 1h",
    "renewBefore, 0s, must be between 1ms and 1h",
    "renewBefore, 2h, must be between 1ms and 1h",
    "retries, -1, must be between 0 and 10",
    "retryMaxWait, -1s, must be between 0s and 10m"
  })
  void aDurationOrNumberOptionOutOfRangeIsAConfigurationErrorNamingIt(
      String option, String value, String rule) {
    Map<String, String> env =
        Map.of(
            "OS_APP_KEY", "notes-key",
            "OS_APP_SECRET", "notes-secret",
            "OS_SYSTEM_SERVER", fake.systemServerHost());
    StoreConfig config = new StoreConfig("s", "olares-secret", Map.of(option, value));

    assertThatThrownBy(() -> ProviderClient.fromConfig(config, context(env), null).close())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessageContaining("store 's'")
        .hasMessageContaining("option '" + option + "'")
        .hasMessageContaining(rule);
  }
}
