package io.olares.secrets.infisical;

import io.olares.secrets.Classification;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link InfisicalStore}s (type {@code infisical}) from configuration:
 *
 * <pre>{@code
 * stores:
 *   infisical:
 *     type: infisical
 *     site: https://app.infisical.com
 *     auth:
 *       universal: { clientId: "...", clientSecret: "${INFISICAL_CLIENT_SECRET}" }
 *       # or kubernetes: { identityId: "...", tokenPath: /var/run/secrets/kubernetes.io/serviceaccount/token }
 *       # or token: "${INFISICAL_TOKEN}"
 *     connectTimeout: 5s      # readTimeout: 10s, callTimeout: 30s
 *     retry: { maxAttempts: 4, baseDelay: 200ms, maxDelay: 5s, maxRetryAfter: 30s }
 *     owners: { myapp-credentials: myapp }   # projects holding an app's own credentials
 *     backgroundRenewal: true
 *     revokeOnClose: true
 * }</pre>
 *
 * <p>Thread-safe and cheap to construct.
 */
public final class InfisicalStoreProvider implements SecretStoreProvider {

  /** Used by {@link java.util.ServiceLoader}. */
  public InfisicalStoreProvider() {}

  @Override
  public String type() {
    return InfisicalStore.TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.CREDENTIAL, Classification.APPLICATION_CREDENTIAL);
  }

  @Override
  public String description() {
    return "Infisical over its REST API (universal, Kubernetes or token auth)";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    return InfisicalStore.open(config.name(), options(config), context);
  }

  /** Reads the options of one configured store; errors name the option, never its value. */
  static InfisicalOptions options(StoreConfig config) {
    String site = config.string("site").or(() -> config.string("url")).orElse(null);
    if (site == null) {
      throw config.bad("site", "is required (the Infisical server's URL)");
    }
    InfisicalOptions.Builder b;
    try {
      b = InfisicalOptions.builder(site, auth(config));
    } catch (IllegalArgumentException e) {
      throw config.bad("site", "is not a usable http(s) URL");
    }
    config.duration("connectTimeout").ifPresent(d -> positive(config, "connectTimeout", d));
    config.duration("connectTimeout").ifPresent(b::connectTimeout);
    config.duration("readTimeout").ifPresent(d -> positive(config, "readTimeout", d));
    config.duration("readTimeout").ifPresent(b::readTimeout);
    config.duration("callTimeout").ifPresent(d -> positive(config, "callTimeout", d));
    config.duration("callTimeout").ifPresent(b::callTimeout);
    config.duration("tokenSkew").ifPresent(b::tokenSkew);
    config.bool("backgroundRenewal").ifPresent(b::backgroundRenewal);
    config.bool("revokeOnClose").ifPresent(b::revokeOnClose);
    config.map("retry").ifPresent(m -> b.retry(retry(config, m)));
    config.map("owners").ifPresent(m -> b.projectOwners(owners(config, m)));
    return b.build();
  }

  private static InfisicalAuth auth(StoreConfig config) {
    Map<String, Object> auth =
        config.map("auth").orElseThrow(() -> config.bad("auth", "is required"));
    List<String> methods =
        auth.keySet().stream()
            .filter(k -> k.equals("universal") || k.equals("kubernetes") || k.equals("token"))
            .toList();
    if (methods.size() != 1 || methods.size() != auth.size()) {
      throw config.bad("auth", "must name exactly one of universal, kubernetes or token");
    }
    switch (methods.get(0)) {
      case "universal":
        {
          Map<String, Object> m = nested(config, auth, "universal");
          String clientId = text(config, m, "auth.universal", "clientId");
          String secret = text(config, m, "auth.universal", "clientSecret");
          return InfisicalAuth.universal(clientId, SecretValue.ofString(secret));
        }
      case "kubernetes":
        {
          Map<String, Object> m = nested(config, auth, "kubernetes");
          String identityId = text(config, m, "auth.kubernetes", "identityId");
          Object path = m.get("tokenPath");
          return path == null
              ? InfisicalAuth.kubernetes(identityId)
              : InfisicalAuth.kubernetes(identityId, Path.of(path.toString()));
        }
      default:
        {
          Object token = auth.get("token");
          if (token == null || token instanceof Map || token.toString().isBlank()) {
            throw config.bad("auth.token", "must be a non-empty access token");
          }
          return InfisicalAuth.accessToken(SecretValue.ofString(token.toString()));
        }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(
      StoreConfig config, Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    if (!(v instanceof Map)) {
      throw config.bad("auth." + key, "must be a mapping");
    }
    return (Map<String, Object>) v;
  }

  private static String text(StoreConfig config, Map<String, Object> m, String prefix, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof Map || v.toString().isBlank()) {
      throw config.bad(prefix + "." + key, "is required");
    }
    return v.toString().trim();
  }

  private static RetryPolicy retry(StoreConfig config, Map<String, Object> m) {
    RetryPolicy d = RetryPolicy.DEFAULT;
    try {
      int attempts =
          m.containsKey("maxAttempts")
              ? Integer.parseInt(m.get("maxAttempts").toString().trim())
              : d.maxAttempts();
      return new RetryPolicy(
          attempts,
          duration(config, m, "baseDelay", d.baseDelay()),
          duration(config, m, "maxDelay", d.maxDelay()),
          duration(config, m, "maxRetryAfter", d.maxRetryAfter()));
    } catch (NumberFormatException e) {
      throw config.bad("retry.maxAttempts", "must be an integer");
    } catch (IllegalArgumentException e) {
      throw config.bad("retry", e.getMessage());
    }
  }

  private static Duration duration(
      StoreConfig config, Map<String, Object> m, String key, Duration fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    return StoreConfig.parseDuration(
        v.toString(), () -> config.bad("retry." + key, "must be a duration like 30s"));
  }

  private static Map<String, String> owners(StoreConfig config, Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach(
        (project, app) -> {
          if (app == null || app instanceof Map || app.toString().isBlank()) {
            throw config.bad("owners." + project, "must name an app");
          }
          out.put(project, app.toString().trim());
        });
    return out;
  }

  private static void positive(StoreConfig config, String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw config.bad(key, "must be positive");
    }
  }
}
