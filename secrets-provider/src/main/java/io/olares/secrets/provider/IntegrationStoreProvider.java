package io.olares.secrets.provider;

import io.olares.secrets.Classification;
import io.olares.secrets.provider.internal.IntegrationStore;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.util.Set;

/**
 * Store type {@code olares-integration}: the tokens of accounts the user connected in Olares
 * Settings (Olares Space, Google, Dropbox, AWS S3, Tencent COS), read through the integration
 * provider. Read-only; references are {@code <store>://<type>/<name>[#<field>]} with {@code type}
 * one of {@code space}, {@code google}, {@code dropbox}, {@code awss3}, {@code tencent} and {@code
 * field} one of the account's {@code rawData} fields, {@code accessToken} by default (for {@code
 * awss3} and {@code tencent} the name is the access key id and {@code accessToken} the secret key).
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code api}: {@code current} (default; the integration provider with the pod's
 *       service-account token) or {@code legacy} (system-server's {@code
 *       /legacy/v1alpha1/service.settings/v1/api/account/...} with {@code Terminus-Nonce}).
 *   <li>{@code endpoint}: the provider's base URL; default {@code
 *       http://integration-provider-svc.os-protected:28080} (current) or {@code OS_SYSTEM_SERVER},
 *       else {@code system-server.user-system-<user>} (legacy).
 *   <li>{@code tokenFile}: the service-account token file (current); default the pod's.
 *   <li>{@code randomKey}: the app random key (legacy); default {@code APP_RANDOM_KEY}.
 *   <li>{@code user}: the Olares user whose accounts are read; default the context's user, then
 *       {@code OLARES_USER}.
 *   <li>{@code timeout}: the HTTP timeout, from 1 ms to 10 min; default 15 s.
 *   <li>{@code retries}: how often a failed read is repeated (0 to 10); default 2.
 *   <li>{@code retryMaxWait}: the longest a read spends repeating after its first request failed;
 *       default 10 s. See {@link ProviderRetry}.
 * </ul>
 *
 * <p>An option not named here is logged (WARN, its name and never its value) and ignored.
 *
 * <p>Every call of this store only reads, so it is repeated after 429, 502, 503, 504, 500 with
 * {@code Retry-After}, a failed or broken connection and a timeout ({@link Idempotency#READ}).
 *
 * <p>Tokens count as expired {@value IntegrationStore#EXPIRY_MARGIN_SECONDS} s before their {@code
 * expiresAt}; an expired token is fetched again (Settings refreshes tokens server-side). An account
 * marked unavailable, or an expired Olares Space token, raises {@link
 * IntegrationReconnectRequiredException}.
 *
 * <p>Policy: {@code describe} names the provider permission {@code providerApp=integration,
 * providerName=account}, the generation-2 grant ({@code permission.provider}) that reaches the
 * integration provider; the same permission is named in legacy mode, where system-server checks
 * only the nonce.
 */
public final class IntegrationStoreProvider implements SecretStoreProvider {
  /** The store type. */
  public static final String TYPE = "olares-integration";

  /** Creates the provider; cheap. */
  public IntegrationStoreProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.INTEGRATION_CREDENTIAL);
  }

  @Override
  public String description() {
    return "tokens of accounts connected in Olares Settings, through the integration provider";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    return IntegrationStore.open(config, context);
  }
}
