package io.olares.secrets.infisical;

import io.olares.secrets.Classification;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.util.Set;

/**
 * Store type {@code olares-secret}: an app's credentials in Olares' Infisical, reached through the
 * {@code secret.infisical} provider ops, never by talking to Infisical directly. References are
 * {@code <store>://<workspace>/<env>/<NAME>} with {@code env} one of {@code test}, {@code dev},
 * {@code staging}, {@code prod}. The calling app's own workspace holds its application credentials;
 * any other workspace holds credentials that need a grant.
 *
 * <p>Options are those of {@link io.olares.secrets.provider.ProviderClient#fromConfig}: {@code
 * generation} 1 (system-server with the app key and secret, {@code OS_APP_KEY}, {@code
 * OS_APP_SECRET}, {@code OS_SYSTEM_SERVER}) or 2 (the secret provider's host in {@code endpoint},
 * with the pod's service-account token or {@code tokenFile}), and {@code timeout}.
 */
public final class OlaresSecretStoreProvider implements SecretStoreProvider {
  /** The store type. */
  public static final String TYPE = "olares-secret";

  /** Creates the provider; cheap. */
  public OlaresSecretStoreProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.CREDENTIAL, Classification.APPLICATION_CREDENTIAL);
  }

  @Override
  public String description() {
    return "app credentials in Olares' Infisical through the secret.infisical provider ops";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    return new OlaresSecretStore(
        config.name(), io.olares.secrets.provider.ProviderClient.fromConfig(config, context, null));
  }
}
