package io.olares.secrets.examples;

import io.olares.secrets.Secret;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import java.nio.file.Path;
import java.util.Map;

/**
 * Embeds only the vault tier: a local, end-to-end encrypted vault whose every read is approved by a
 * device key. Put {@code secrets-api} and {@code secrets-vault} on the class path, nothing else.
 *
 * <p>Run: {@code VaultOnly <directory>}; the passphrase comes from {@code OLARES_VAULT_PASSPHRASE}.
 */
public final class VaultOnly {
  private VaultOnly() {}

  /** Creates a vault in {@code args[0]}, stores a password, reads it back with an approval. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String url = "jdbc:sqlite:" + dir.resolve("personal.db");
    char[] passphrase = passphrase();

    // One-time set-up: create the vault and trust this device's key.
    DeviceKey device = DeviceKey.generate();
    try (Vault vault = Vault.init(url, passphrase);
        VaultAdmin admin = vault.admin(passphrase)) {
      admin.trust(device.did());
    }

    // Everyday use: one facade, the vault store, and the device key as approver.
    try (Secrets secrets =
        Secrets.builder()
            .app("vault-only")
            .discovery(false)
            .environment(io.olares.secrets.config.SecretsConfig.systemVariables())
            .provider(new io.olares.secrets.vault.VaultStoreProvider())
            .storeConfig(
                new StoreConfig("vault", "vault", Map.of("url", url, "passphraseEnv", ENV)))
            .approver(new DeviceKeyApprover(device, "alice@olares.com", "example"))
            .build()) {
      try (SecretValue pw = SecretValue.ofString("correct horse battery staple")) {
        secrets.put("vault://personal/github#password", pw);
      }
      try (Secret secret = secrets.get("vault://personal/github#password")) {
        System.out.println(
            "read "
                + secret.ref()
                + " ("
                + secret.classification()
                + "): "
                + secret.value().length()
                + " bytes");
      }
    } finally {
      java.util.Arrays.fill(passphrase, '\0');
    }
  }

  static final String ENV = "OLARES_VAULT_PASSPHRASE";

  private static char[] passphrase() {
    String p = System.getenv(ENV);
    if (p == null || p.isEmpty()) {
      p = System.getProperty(ENV);
    }
    if (p == null || p.isEmpty()) {
      throw new IllegalStateException("set " + ENV + " to the vault passphrase");
    }
    return p.toCharArray();
  }
}
