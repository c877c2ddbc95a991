package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MemoryStoreProviderTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final StoreContext CONTEXT =
      new StoreContext(
          "demo", "alice", Clock.fixed(NOW, ZoneOffset.UTC), name -> null, Path.of("/nonexistent"));
  private static final AccessContext READ = AccessContext.of("demo", Operation.READ);

  private final MemoryStoreProvider provider = new MemoryStoreProvider();

  @Test
  void serviceLoaderFindsTheMemoryProvider() {
    List<String> types =
        ServiceLoader.load(SecretStoreProvider.class).stream().map(p -> p.get().type()).toList();

    assertThat(types).contains("memory");
  }

  @Test
  void itServesEveryClassificationOnTheCurrentApiVersion() {
    assertThat(provider.type()).isEqualTo("memory");
    assertThat(provider.classifications()).containsExactlyInAnyOrder(Classification.values());
    assertThat(provider.apiVersion()).isEqualTo(SecretStoreProvider.API_VERSION);
  }

  @Test
  void anUnconfiguredStoreHoldsCredentialsAndStartsEmpty() {
    try (SecretStore store = open(Map.of())) {
      assertThat(store.name()).isEqualTo("mem");
      assertThat(store.type()).isEqualTo("memory");
      assertThat(store.describe(SecretRef.parse("mem://a/b"), "demo").classification())
          .isEqualTo(Classification.CREDENTIAL);
      assertThat(store.list(SecretRef.parsePrefix("mem://a"), READ)).isEmpty();
    }
  }

  @Test
  void optionsSetClassificationOwnerAndSeedsAsAYamlFileWould() {
    Map<String, Object> seed = new LinkedHashMap<>();
    seed.put("myapp/db#password", "demo-password");
    seed.put("mem://myapp/api-key", 12345);
    Map<String, Object> options =
        Map.of("classification", "application-credential", "owner", "myapp", "seed", seed);

    try (SecretStore store = open(options)) {
      SecretRef password = SecretRef.parse("mem://myapp/db#password");
      assertThat(store.describe(password, "other").classification())
          .isEqualTo(Classification.APPLICATION_CREDENTIAL);
      assertThat(store.describe(password, "other").owner()).isEqualTo("myapp");
      try (Secret secret = store.read(password, READ).orElseThrow()) {
        assertThat(secret.value().revealString()).isEqualTo("demo-password");
        assertThat(secret.metadata().version()).isEqualTo("1");
        assertThat(secret.metadata().created()).isEqualTo(NOW);
      }
      try (Secret secret = store.read(SecretRef.parse("mem://myapp/api-key"), READ).orElseThrow()) {
        assertThat(secret.value().revealString()).isEqualTo("12345");
      }
    }
  }

  @Test
  void ownerFromContainerFalseLeavesPodSecretsWithoutOwner() {
    try (SecretStore store =
        open(Map.of("classification", "POD_SECRET", "ownerFromContainer", "false"))) {
      assertThat(store.describe(SecretRef.parse("mem://ns/db"), "app").owner()).isNull();
    }
  }

  @Test
  void maxVersionsLimitsTheVersionsKept() {
    try (MemoryStore store = (MemoryStore) open(Map.of("maxVersions", 1))) {
      SecretRef ref = SecretRef.parse("mem://a/b");
      store.write(ref, SecretValue.ofString("1"), READ);
      store.write(ref, SecretValue.ofString("2"), READ);

      assertThat(store.versions(ref)).containsExactly("2");
    }
  }

  @Test
  void anUnknownClassificationIsAConfigurationErrorThatListsTheKnownOnes() {
    assertThatThrownBy(() -> open(Map.of("classification", "secretish")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("store 'mem'")
        .hasMessageContaining("option 'classification'")
        .hasMessageContaining("pod_secret");
  }

  @Test
  void maxVersionsBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> open(Map.of("maxVersions", 0)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'maxVersions' must be at least 1");
  }

  @Test
  void aSeedEntryThatIsNotASingleValueIsRejectedWithoutEchoingIt() {
    Map<String, Object> seed = Map.of("a/b", Map.of("nested", "hidden-value"));

    assertThatThrownBy(() -> open(Map.of("seed", seed)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("entry 'a/b'")
        .hasMessageNotContaining("hidden-value");
  }

  @Test
  void aSeedEntryWithABadPathNamesTheEntryAndTheProblem() {
    Map<String, Object> seed = Map.of("a/../b", "hidden-value");

    assertThatThrownBy(() -> open(Map.of("seed", seed)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("entry 'a/../b'")
        .hasMessageContaining("'..'")
        .hasMessageNotContaining("hidden-value");
  }

  @Test
  void aSeedEntryForAnotherStoreOrWithAVersionIsRejected() {
    assertThatThrownBy(() -> open(Map.of("seed", Map.of("other://a/b", "v"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names another store");
    assertThatThrownBy(() -> open(Map.of("seed", Map.of("a/b?version=3", "v"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("must not name a version");
  }

  @Test
  void aStoreNameReferencesCannotUseIsAConfigurationError() {
    StoreConfig config = new StoreConfig("no spaces", "memory", Map.of());

    assertThatThrownBy(() -> provider.open(config, CONTEXT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'no spaces'");
  }

  @Test
  void anUnknownOptionIsReportedInTheLogAndIgnored() throws Exception {
    String logged =
        LogCapture.capture(
            () -> {
              try (SecretStore store = open(Map.of("clasification", "pod_secret"))) {
                assertThat(store.describe(SecretRef.parse("mem://a/b"), "x").classification())
                    .isEqualTo(Classification.CREDENTIAL);
              }
            });

    assertThat(logged).contains("option 'clasification' is not known");
  }

  private SecretStore open(Map<String, ?> options) {
    return provider.open(new StoreConfig("mem", "memory", options), CONTEXT);
  }
}
