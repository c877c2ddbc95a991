package io.olares.secrets.vault;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.util.Arrays;
import java.util.Set;

/**
 * Opens stores of type {@code vault}. Options:
 *
 * <ul>
 *   <li>{@code url}: the JDBC URL ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...});
 *       default {@code <home>/<store name>.vault.db}
 *   <li>{@code passphrase}: the passphrase itself (write it as {@code ${VAR}}); else the
 *       environment variable named by {@code passphraseEnv} (default {@code
 *       OLARES_VAULT_PASSPHRASE})
 *   <li>{@code create}: create the vault where none exists (default false; for demos)
 *   <li>{@code kdfMemoryKib}, {@code kdfIterations}, {@code kdfParallelism}: Argon2id parameters
 *       for a vault this store creates (default {@link KdfParams#DEFAULT}; never below the floor)
 *   <li>{@code approvalMaxAge}, {@code approvalMaxSkew}: durations (default 5m and 30s)
 *   <li>{@code defaultKind}: the kind of an item a plain write creates (default {@code api-secret})
 * </ul>
 *
 * Thread-safe.
 */
public final class VaultStoreProvider implements SecretStoreProvider {
  /** The store type. */
  public static final String TYPE = "vault";

  /** The environment variable read for the passphrase by default. */
  public static final String PASSPHRASE_ENV = "OLARES_VAULT_PASSPHRASE";

  private final VaultOptions options;

  /** The provider {@link java.util.ServiceLoader} creates: default options. */
  public VaultStoreProvider() {
    this(VaultOptions.defaults());
  }

  /**
   * A provider whose vaults open with {@code options} (the store context's clock replaces the
   * options' clock). For explicit registration, for example with a custom verifier.
   */
  public VaultStoreProvider(VaultOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.VAULT_ITEM);
  }

  @Override
  public String description() {
    return "end-to-end encrypted vault (SQLite or PostgreSQL); every use needs a device approval";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    String url =
        config
            .string("url")
            .orElseGet(() -> "jdbc:sqlite:" + context.home().resolve(config.name() + ".vault.db"));
    checkUrl(config, url);
    VaultOptions.Builder b = options.toBuilder().clock(context.clock());
    config.duration("approvalMaxAge").ifPresent(b::approvalMaxAge);
    config.duration("approvalMaxSkew").ifPresent(b::approvalMaxSkew);
    VaultOptions opened = b.build();
    ItemKind kind =
        config
            .string("defaultKind")
            .map(
                k -> {
                  try {
                    return ItemKind.fromWireName(k);
                  } catch (RuntimeException e) {
                    throw config.bad(
                        "defaultKind",
                        "must be login, database-credential," + " api-secret or note");
                  }
                })
            .orElse(ItemKind.API_SECRET);
    if (kind == ItemKind.PRIVATE_KEY) {
      throw config.bad("defaultKind", "cannot be private-key");
    }
    char[] passphrase = passphrase(config, context);
    try {
      Vault vault = openOrCreate(config, url, passphrase, opened);
      return new VaultStore(config.name(), vault, kind);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  private static void checkUrl(StoreConfig config, String url) {
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      throw config.bad("url", "must start with jdbc:sqlite: or jdbc:postgresql:");
    }
  }

  private static Vault openOrCreate(
      StoreConfig config, String url, char[] passphrase, VaultOptions options) {
    boolean create = config.bool("create").orElse(false);
    if (Vault.exists(url)) {
      return Vault.open(url, passphrase, options);
    }
    if (!create) {
      throw new ConfigurationException(
          "store '"
              + config.name()
              + "': no vault exists at its url; create one with 'olares-secrets vault init' or"
              + " set option 'create: true'");
    }
    KdfParams params = kdfParams(config);
    try {
      return Vault.init(url, passphrase, params, options);
    } catch (ConfigurationException e) {
      if (Vault.exists(url)) {
        return Vault.open(url, passphrase, options);
      }
      throw e;
    } catch (IllegalArgumentException e) {
      throw config.bad("kdfMemoryKib", "and the other kdf options " + e.getMessage());
    }
  }

  private static KdfParams kdfParams(StoreConfig config) {
    KdfParams d = KdfParams.DEFAULT;
    try {
      return new KdfParams(
          config.integer("kdfMemoryKib").orElse(d.memoryKib()),
          config.integer("kdfIterations").orElse(d.iterations()),
          config.integer("kdfParallelism").orElse(d.parallelism()));
    } catch (IllegalArgumentException e) {
      throw config.bad("kdfMemoryKib", "and the other kdf options are invalid: " + e.getMessage());
    }
  }

  private static char[] passphrase(StoreConfig config, StoreContext context) {
    if (config.string("passphrase").isPresent()) {
      return config.requireString("passphrase").toCharArray();
    }
    String env = config.string("passphraseEnv").orElse(PASSPHRASE_ENV);
    return context
        .env(env)
        .map(String::toCharArray)
        .orElseThrow(
            () ->
                config.bad(
                    "passphraseEnv",
                    "names the environment variable '" + env + "', which is not set"));
  }
}
