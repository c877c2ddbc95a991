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
}
