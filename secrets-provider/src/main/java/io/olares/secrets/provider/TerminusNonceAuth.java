package io.olares.secrets.provider;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.provider.internal.Urls;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * The legacy API of generation 1 ({@code /legacy/v1alpha1/<group>/<version>/...} on system-server),
 * which takes a {@code Terminus-Nonce} header instead of an access token. The nonce is derived from
 * the app's random key ({@code APP_RANDOM_KEY}) and the current time, freshly for every call:
 * {@code appservice:} followed by base64 of the decimal Unix time encrypted with AES-CBC under the
 * key (the key's first 16 bytes as IV, PKCS#7 padding).
 *
 * <p>Immutable and thread-safe. The key never appears in {@link #toString()}, logs or messages.
 */
public final class TerminusNonceAuth implements ProviderAuth {
  /** Environment variable holding the app's random key. */
  public static final String ENV_RANDOM_KEY = "APP_RANDOM_KEY";

  private final SecretValue randomKey;
  private final HttpUrl systemServer;

  private TerminusNonceAuth(SecretValue randomKey, HttpUrl systemServer) {
    int n = randomKey.length();
    if (n != 16 && n != 24 && n != 32) {
      throw new ConfigurationException(
          "the app random key must be 16, 24 or 32 bytes long (an AES key); it is " + n);
    }
    this.randomKey = randomKey.copy();
    this.systemServer = Objects.requireNonNull(systemServer, "systemServer");
  }

  /**
   * A strategy over {@code randomKey} for system-server at {@code systemServer} (host or URL).
   *
   * @throws ConfigurationException where the key is not 16, 24 or 32 bytes
   */
  public static TerminusNonceAuth of(SecretValue randomKey, String systemServer) {
    return new TerminusNonceAuth(
        Objects.requireNonNull(randomKey, "randomKey"),
        Urls.endpoint("systemServer", systemServer));
  }

  /**
   * Reads {@code APP_RANDOM_KEY} and {@code OS_SYSTEM_SERVER}.
   *
   * @throws ConfigurationException naming the first variable that is missing or invalid
   */
  public static TerminusNonceAuth fromEnvironment(Function<String, String> environment) {
    String key = environment.apply(ENV_RANDOM_KEY);
    String server = environment.apply(AppKeyAuth.ENV_SYSTEM_SERVER);
    if (key == null || key.isEmpty()) {
      throw new ConfigurationException("environment variable " + ENV_RANDOM_KEY + " is not set");
    }
    if (server == null || server.isBlank()) {
      throw new ConfigurationException(
          "environment variable " + AppKeyAuth.ENV_SYSTEM_SERVER + " is not set");
    }
    return new TerminusNonceAuth(
        SecretValue.ofString(key),
        Urls.endpoint("environment variable " + AppKeyAuth.ENV_SYSTEM_SERVER, server));
  }

  /** A copy of the random key; the caller should close it. */
  public SecretValue randomKey() {
    return randomKey.copy();
  }

  /** system-server's base URL. */
  public HttpUrl systemServer() {
    return systemServer;
  }

  @Override
  public Generation generation() {
    return Generation.SYS_DATA;
  }

  @Override
  public Optional<HttpUrl> defaultEndpoint() {
    return Optional.of(systemServer);
  }

  @Override
  public String toString() {
    return "TerminusNonceAuth[systemServer=" + systemServer + ", randomKey=redacted]";
  }
}
