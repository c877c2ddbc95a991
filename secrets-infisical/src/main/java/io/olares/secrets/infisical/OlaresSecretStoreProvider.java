package io.olares.secrets.infisical;

import io.olares.secrets.Classification;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.util.Set;

/**
 * Opens {@link OlaresSecretStore}s (type {@code olares-secret}) from configuration; the options are
 * those of {@link ProviderClient#fromConfig}:
 *
 * <pre>{@code
 * stores:
 *   secret:
 *     type: olares-secret
 *     generation: 1            # sysData via system-server: appKey/appSecret/systemServer,
 *                              # default OS_APP_KEY, OS_APP_SECRET, OS_SYSTEM_SERVER
 *     # generation: 2          # provider access: endpoint (required), tokenFile (default the pod's)
 *     retries: 2               # transient failures of calls safe to repeat (default 2)
 *     retryMaxWait: 10s        # the longest a call keeps repeating (default 10s)
 * }</pre>
 *
 * <p>The app is the facade's app: its own workspace holds its application credentials.
 */
public final class OlaresSecretStoreProvider implements SecretStoreProvider {
  /** The store type. */
  public static final String TYPE = OlaresSecretStore.TYPE;

  /** Used by {@link java.util.ServiceLoader}. */
  public OlaresSecretStoreProvider() {}

  @Override
  public String type() {
    return OlaresSecretStore.TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.CREDENTIAL, Classification.APPLICATION_CREDENTIAL);
  }

  @Override
  public String description() {
    return "Olares' secret provider (secret.infisical), generation 1 or 2";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    ProviderClient client = ProviderClient.fromConfig(config, context, null);
    return OlaresSecretStore.owning(config.name(), context.app(), client);
  }
}
