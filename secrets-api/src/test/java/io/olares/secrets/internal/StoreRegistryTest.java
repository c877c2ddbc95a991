package io.olares.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.spi.StoreProviders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StoreRegistryTest {

  /** A provider of one type that opens nothing. */
  static class TypedProvider implements SecretStoreProvider {
    private final String type;
    private final int version;

    TypedProvider(String type) {
      this(type, API_VERSION);
    }

    TypedProvider(String type, int version) {
      this.type = type;
      this.version = version;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public Set<Classification> classifications() {
      return Set.of(Classification.CREDENTIAL);
    }

    @Override
    public int apiVersion() {
      return version;
    }

    @Override
    public SecretStore open(StoreConfig config, StoreContext context) {
      throw new UnsupportedOperationException("not opened in these tests");
    }
  }

  static final class VaultProvider extends TypedProvider {
    VaultProvider() {
      super("vault");
    }
  }

  static final class OtherVaultProvider extends TypedProvider {
    OtherVaultProvider() {
      super("vault");
    }
  }

  static final class K8sProvider extends TypedProvider {
    K8sProvider() {
      super("kubernetes");
    }
  }

  static final class OldProvider extends TypedProvider {
    OldProvider() {
      super("old", 0);
    }
  }

  static final class ThrowingTypeProvider extends TypedProvider {
    ThrowingTypeProvider() {
      super("never");
    }

    @Override
    public String type() {
      throw new IllegalStateException("type lookup broke");
    }
  }

  static final class BadNameProvider extends TypedProvider {
    BadNameProvider() {
      super("Has Spaces");
    }
  }

  /** A candidate as ServiceLoader.stream() yields it. */
  private static <P extends SecretStoreProvider> ServiceLoader.Provider<SecretStoreProvider> found(
      Class<P> type, Supplier<? extends SecretStoreProvider> create) {
    return new ServiceLoader.Provider<>() {
      @Override
      public Class<? extends SecretStoreProvider> type() {
        return type;
      }

      @Override
      public SecretStoreProvider get() {
        return create.get();
      }
    };
  }

  private static ServiceLoader.Provider<SecretStoreProvider> failingConstructor() {
    return found(
        VaultProvider.class,
        () -> {
          throw new ServiceConfigurationError(
              "io.olares.secrets.spi.SecretStoreProvider: Provider "
                  + VaultProvider.class.getName()
                  + " could not be instantiated",
              new IllegalStateException("no database driver"));
        });
  }

  /** An iterator that throws where a candidate is null, as a broken services file does. */
  private static Iterator<ServiceLoader.Provider<SecretStoreProvider>> candidates(
      List<ServiceLoader.Provider<SecretStoreProvider>> list) {
    Iterator<ServiceLoader.Provider<SecretStoreProvider>> it = list.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ServiceLoader.Provider<SecretStoreProvider> next() {
        ServiceLoader.Provider<SecretStoreProvider> p = it.next();
        if (p == null) {
          throw new ServiceConfigurationError(
              "io.olares.secrets.spi.SecretStoreProvider: Provider com.example.Missing not found");
        }
        return p;
      }
    };
  }

  @Test
  void skipsEveryBrokenProviderAndKeepsTheGoodOnes() {
    List<ServiceLoader.Provider<SecretStoreProvider>> list = new ArrayList<>();
    list.add(null);
    list.add(failingConstructor());
    list.add(found(ThrowingTypeProvider.class, ThrowingTypeProvider::new));
    list.add(found(OldProvider.class, OldProvider::new));
    list.add(found(BadNameProvider.class, BadNameProvider::new));
    list.add(found(K8sProvider.class, K8sProvider::new));

    String log =
        captureErr(
            () -> {
              StoreRegistry registry = StoreRegistry.build(List.of(), candidates(list));

              assertThat(registry.types()).containsExactly("kubernetes");
              assertThat(registry.provider("kubernetes")).isInstanceOf(K8sProvider.class);
              List<StoreProviders.Problem> problems = registry.listing().problems();
              assertThat(problems).hasSize(5);
              assertThat(problems.get(0).problem()).contains("com.example.Missing not found");
              assertThat(problems.get(1).providerClass()).isEqualTo(VaultProvider.class.getName());
              assertThat(problems.get(1).problem()).contains("no database driver");
              assertThat(problems.get(2).providerClass())
                  .isEqualTo(ThrowingTypeProvider.class.getName());
              assertThat(problems.get(2).problem()).contains("type lookup broke");
              assertThat(problems.get(3).problem())
                  .contains("speaks store SPI version 0 but this olares-secrets speaks version 1");
              assertThat(problems.get(4).problem()).contains("not a lower-case name");
            });

    assertThat(log)
        .contains("WARN io.olares.secrets.internal.StoreRegistry - skipping store provider")
        .contains(ThrowingTypeProvider.class.getName())
        .contains(OldProvider.class.getName());
  }

  @Test
  void twoDiscoveredProvidersOfOneTypeMakeThatTypeAnErrorNamingBothClasses() {
    StoreRegistry registry =
        StoreRegistry.build(
            List.of(),
            candidates(
                List.of(
                    found(VaultProvider.class, VaultProvider::new),
                    found(OtherVaultProvider.class, OtherVaultProvider::new),
                    found(K8sProvider.class, K8sProvider::new))));

    assertThatThrownBy(() -> registry.provider("vault"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(VaultProvider.class.getName())
        .hasMessageContaining(OtherVaultProvider.class.getName());
    assertThat(registry.provider("kubernetes")).isInstanceOf(K8sProvider.class);
    assertThat(registry.listing().problems())
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).startsWith("store type 'vault' is claimed by"));
  }

  @Test
  void anExplicitRegistrationWinsOverDiscoveredProvidersWithoutError() {
    OtherVaultProvider mine = new OtherVaultProvider();

    StoreRegistry registry =
        StoreRegistry.build(
            List.of(mine),
            candidates(
                List.of(
                    found(VaultProvider.class, VaultProvider::new),
                    found(VaultProvider.class, VaultProvider::new))));

    assertThat(registry.provider("vault")).isSameAs(mine);
    assertThat(registry.listing().problems()).isEmpty();
    assertThat(registry.listing().providers())
        .singleElement()
        .satisfies(e -> assertThat(e.explicit()).isTrue());
  }

  @Test
  void anUnusableExplicitProviderIsAConfigurationError() {
    assertThatThrownBy(() -> StoreRegistry.explicitOnly(List.of(new OldProvider())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("speaks store SPI version 0");
    assertThatThrownBy(
            () ->
                StoreRegistry.explicitOnly(List.of(new VaultProvider(), new OtherVaultProvider())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(VaultProvider.class.getName())
        .hasMessageContaining(OtherVaultProvider.class.getName());
  }

  @Test
  void listsProvidersWithTheirClassificationsAndModule() {
    StoreRegistry registry =
        StoreRegistry.build(
            List.of(), candidates(List.of(found(K8sProvider.class, K8sProvider::new))));

    StoreProviders.Entry entry = registry.listing().providers().get(0);
    assertThat(entry.type()).isEqualTo("kubernetes");
    assertThat(entry.classifications()).containsExactly(Classification.CREDENTIAL);
    assertThat(entry.providerClass()).isEqualTo(K8sProvider.class.getName());
    assertThat(entry.module()).isEqualTo(StoreRegistry.origin(K8sProvider.class)).isNotBlank();
    assertThat(entry.explicit()).isFalse();
  }

  @Test
  void anUnknownTypeNamesTheKnownOnes() {
    StoreRegistry registry = StoreRegistry.explicitOnly(List.of(new K8sProvider()));

    assertThatThrownBy(() -> registry.provider("vault"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("no store provider offers type 'vault'; known types: kubernetes");
  }

  @Test
  void realDiscoveryThroughTheServiceLoaderRunsWithoutThrowing() {
    StoreProviders found = StoreProviders.discover();

    assertThat(found.providers()).allSatisfy(e -> assertThat(e.apiVersion()).isEqualTo(1));
    assertThat(found.problems()).isEmpty();
  }

  private static String captureErr(Runnable r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
