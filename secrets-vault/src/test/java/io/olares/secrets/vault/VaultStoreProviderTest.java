package io.olares.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultStoreProviderTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.standing();
  final Map<String, String> env = new HashMap<>(Map.of("OLARES_VAULT_PASSPHRASE", "from the env"));
  final VaultStoreProvider provider = new VaultStoreProvider(TestVaults.options(clock));

  @Test
  void theServiceLoaderFindsTheVaultProvider() {
    SecretStoreProvider found =
        ServiceLoader.load(SecretStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.type().equals("vault"))
            .findFirst()
            .orElseThrow();

    assertThat(found).isInstanceOf(VaultStoreProvider.class);
    assertThat(found.classifications()).containsExactly(Classification.VAULT_ITEM);
    assertThat(found.apiVersion()).isEqualTo(SecretStoreProvider.API_VERSION);
  }

  @Test
  void theDiscoveredProviderCreatesVaultsAtTheRealFloorFromTheEnvironmentPassphrase() {
    SecretStoreProvider discovered = new VaultStoreProvider();
    Map<String, Object> options =
        Map.of(
            "url", TestVaults.sqlite(dir),
            "create", "true",
            "kdfMemoryKib", KdfParams.FLOOR.memoryKib(),
            "kdfIterations", KdfParams.FLOOR.iterations());

    try (SecretStore store = discovered.open(config(options), context())) {
      assertThat(((VaultStore) store).vault().kdfParams()).isEqualTo(KdfParams.FLOOR);
    }
    try (Vault vault = Vault.open(TestVaults.sqlite(dir), "from the env".toCharArray())) {
      assertThat(vault.list(null)).isEmpty();
    }
  }

  @Test
  void createIsNeededForAMissingVaultAndTheErrorSaysHow() {
    assertThatThrownBy(
            () -> provider.open(config(Map.of("url", TestVaults.sqlite(dir))), context()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("create: true")
        .hasMessageContaining("vault init");
    assertThat(dir.resolve("vault.db")).doesNotExist();
  }

  @Test
  void anUnsetPassphraseVariableIsNamedAndNoPassphraseIsQuoted() {
    env.clear();
    env.put("OTHER", "from the env");
    Map<String, Object> options =
        Map.of("url", TestVaults.sqlite(dir), "passphraseEnv", "MY_VAULT_PASS");

    assertThatThrownBy(() -> provider.open(config(options), context()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("MY_VAULT_PASS")
        .hasMessageContaining("passphraseEnv");
  }

  @Test
  void theNamedVariableOrAnInlinePassphraseOpensTheVault() {
    env.put("MY_VAULT_PASS", "another passphrase");
    Map<String, Object> create =
        Map.of(
            "url",
            TestVaults.sqlite(dir),
            "passphraseEnv",
            "MY_VAULT_PASS",
            "create",
            true,
            "kdfMemoryKib",
            256);
    provider.open(config(create), context()).close();

    Map<String, Object> inline =
        Map.of("url", TestVaults.sqlite(dir), "passphrase", "another passphrase");
    try (SecretStore store = provider.open(config(inline), context())) {
      assertThat(store.capabilities())
          .contains(Capability.APPROVAL, Capability.SIGN, Capability.BINARY)
          .doesNotContain(Capability.VERSIONS, Capability.WATCH);
    }
  }

  @Test
  void theDefaultUrlIsAFileInTheHomeNamedAfterTheStore() {
    provider.open(config(Map.of("create", true, "kdfMemoryKib", 256)), context()).close();

    assertThat(dir.resolve("personal.vault.db")).exists();
  }

  @Test
  void aPlainWriteMakesAnItemOfTheConfiguredDefaultKind() {
    Map<String, Object> options =
        Map.of(
            "url",
            TestVaults.sqlite(dir),
            "create",
            true,
            "kdfMemoryKib",
            256,
            "defaultKind",
            "note");
    try (VaultStore store = (VaultStore) provider.open(config(options), context())) {
      SecretRef ref = SecretRef.parse("personal://notes/todo");
      try (SecretValue v = SecretValue.ofString("buy milk")) {
        store.write(ref, v, AccessContext.of("app", io.olares.secrets.Operation.WRITE));
      }

      assertThat(store.vault().info("notes/todo").orElseThrow().kind()).isEqualTo(ItemKind.NOTE);
      assertThat(store.describe(ref, "app").classification()).isEqualTo(Classification.VAULT_ITEM);
    }
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(
            () ->
                provider.open(
                    config(Map.of("url", TestVaults.sqlite(dir), "defaultKind", "private-key")),
                    context()))
        .hasMessageContaining("defaultKind");
    assertThatThrownBy(() -> provider.open(config(Map.of("url", "jdbc:h2:mem:x")), context()))
        .hasMessageContaining("'url'");
    assertThatThrownBy(
            () ->
                new VaultStoreProvider()
                    .open(
                        config(
                            Map.of(
                                "url",
                                TestVaults.sqlite(dir),
                                "create",
                                true,
                                "kdfMemoryKib",
                                1024)),
                        context()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("kdf");
  }

  private static StoreConfig config(Map<String, Object> options) {
    return new StoreConfig("personal", "vault", options);
  }

  private StoreContext context() {
    return new StoreContext("app", "alice", clock, env::get, dir);
  }
}
