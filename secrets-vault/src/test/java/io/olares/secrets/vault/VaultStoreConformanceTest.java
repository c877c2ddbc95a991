package io.olares.secrets.vault;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit against a vault in a SQLite file, opened through the provider. Reads are
 * approved by a trusted test device key: the {@link #access} hook asks the store for each use's
 * approval request and signs it, as LarePass would.
 */
class VaultStoreConformanceTest extends SecretStoreConformanceTest {
  static final String PASSPHRASE_ENV = "CONFORMANCE_VAULT_PASSPHRASE";

  @TempDir Path dir;
  final DeviceKey device = DeviceKey.generate();
  final DeviceKeyApprover approver =
      new DeviceKeyApprover(device, "alice@olares.com", "olares.com", Clock.systemUTC());

  /** The JDBC URL of the vault for one test. */
  protected String url() {
    return TestVaults.sqlite(dir);
  }

  @Override
  protected SecretStore createStore() {
    return openVaultStore(url(), dir, device);
  }

  static VaultStore openVaultStore(String url, Path home, DeviceKey device) {
    VaultStoreProvider provider = new VaultStoreProvider(TestVaults.options(Clock.systemUTC()));
    StoreConfig config =
        new StoreConfig(
            "vault",
            "vault",
            Map.of(
                "url",
                url,
                "passphraseEnv",
                PASSPHRASE_ENV,
                "create",
                "true",
                "kdfMemoryKib",
                TestVaults.CHEAP.memoryKib(),
                "kdfIterations",
                TestVaults.CHEAP.iterations()));
    Map<String, String> env = Map.of(PASSPHRASE_ENV, TestVaults.PASSPHRASE);
    StoreContext context =
        new StoreContext("conformance", "alice", Clock.systemUTC(), env::get, home);
    VaultStore store = (VaultStore) provider.open(config, context);
    try (VaultAdmin admin = store.vault().admin(TestVaults.passphrase())) {
      admin.trust(device.did());
    }
    return store;
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("vault", "personal", name);
  }

  @Override
  protected AccessContext access(SecretRef ref, Operation operation) {
    if (operation != Operation.READ && operation != Operation.SIGN) {
      return AccessContext.of(app(), operation);
    }
    try {
      return new AccessContext(
          app(), operation, approver.approve(store().approvalRequest(ref, operation, app())));
    } catch (SecretNotFoundException | InvalidReferenceException e) {
      // nothing to approve: the store answers "absent" or "bad reference" on its own
      return AccessContext.of(app(), operation);
    }
  }
}
