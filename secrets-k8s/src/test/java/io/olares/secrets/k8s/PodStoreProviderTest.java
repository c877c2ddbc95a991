package io.olares.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodStoreProviderTest {
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  private SecretStore open(Map<String, Object> options, String user) {
    return new PodStoreProvider()
        .open(
            new StoreConfig("pod", "pod", options),
            new StoreContext("myapp", user, Clock.systemUTC(), env::get, dir));
  }

  @Test
  void bothStoreTypesAreDeclaredForDiscoveryOnTheModuleAndTheClassPath() throws Exception {
    ModuleDescriptor descriptor = PodStoreProvider.class.getModule().getDescriptor();
    if (descriptor != null) {
      assertThat(descriptor.provides())
          .filteredOn(p -> p.service().equals(SecretStoreProvider.class.getName()))
          .flatExtracting(ModuleDescriptor.Provides::providers)
          .containsExactlyInAnyOrder(
              KubernetesStoreProvider.class.getName(), PodStoreProvider.class.getName());
    }
    String services;
    try (var in =
        PodStoreProvider.class
            .getClassLoader()
            .getResourceAsStream("META-INF/services/" + SecretStoreProvider.class.getName())) {
      services = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Map<String, SecretStoreProvider> byType = new HashMap<>();
    for (String line : services.split("\\R")) {
      if (!line.isBlank()) {
        SecretStoreProvider p =
            (SecretStoreProvider) Class.forName(line.trim()).getDeclaredConstructor().newInstance();
        byType.put(p.type(), p);
      }
    }
    assertThat(byType).containsOnlyKeys("kubernetes", "pod");
    assertThat(byType.get("pod").classifications()).containsExactly(Classification.POD_SECRET);
    assertThat(byType.get("kubernetes").classifications())
        .containsExactly(Classification.POD_SECRET);
  }

  @Test
  void readsVariablesFromTheContextsEnvironment() {
    env.put("REDIS_PASSWORD", "r3dis");
    try (SecretStore store = open(Map.of(), "alice");
        Secret s =
            store
                .read(
                    SecretRef.parse("pod://env/REDIS_PASSWORD"),
                    AccessContext.of("myapp", Operation.READ))
                .orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("r3dis");
    }
  }

  @Test
  void theOwnerIsThePodsNamespaceFromConfigurationEnvironmentOrConvention() throws Exception {
    SecretRef ref = SecretRef.parse("pod://env/X");
    assertThat(open(Map.of("namespace", "given-ns"), "alice").describe(ref, "myapp").owner())
        .isEqualTo("given-ns");

    Path nsFile = Files.writeString(dir.resolve("namespace"), "from-file\n");
    assertThat(
            open(Map.of("namespaceFile", nsFile.toString()), "alice")
                .describe(ref, "myapp")
                .owner())
        .isEqualTo("from-file");

    Map<String, Object> noFile = Map.of("namespaceFile", dir.resolve("absent").toString());
    assertThat(open(noFile, "alice").describe(ref, "myapp").owner()).isEqualTo("myapp-alice");
    env.put("POD_NAMESPACE", "from-env");
    assertThat(open(noFile, "alice").describe(ref, "myapp").owner()).isEqualTo("from-env");
  }

  @Test
  void badOptionsAreConfigurationErrors() {
    assertThatThrownBy(() -> open(Map.of("pollInterval", "often"), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> open(Map.of("roots", "relative/dir"), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("roots");
  }
}
