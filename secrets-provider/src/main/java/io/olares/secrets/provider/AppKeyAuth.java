package io.olares.secrets.provider;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.provider.internal.Urls;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Generation-1 authentication: the app key and app secret Olares puts into an app's pod. For every
 * op the client obtains an access token from system-server ({@code POST
 * /permission/v1alpha1/access}, with a bcrypt token over {@code key + timestamp + secret}) and
 * sends it as {@code X-Access-Token}. Tokens live five minutes; the client renews them in the
 * background {@link #renewBefore()} their expiry.
 *
 * <p>Immutable and thread-safe. The app secret is held as a {@link SecretValue} and never appears
 * in {@link #toString()}, logs or exception messages.
 */
public final class AppKeyAuth implements ProviderAuth {
  /** Environment variable holding the app key. */
  public static final String ENV_APP_KEY = "OS_APP_KEY";

  /** Environment variable holding the app secret. */
  public static final String ENV_APP_SECRET = "OS_APP_SECRET";

  /**
   * Environment variable holding system-server's host, e.g. {@code
   * system-server.user-system-alice}.
   */
  public static final String ENV_SYSTEM_SERVER = "OS_SYSTEM_SERVER";

  /** The bcrypt cost Olares' reference client uses. */
  public static final int DEFAULT_BCRYPT_COST = 10;

  /** How long before expiry a token is renewed, as Olares' reference client does. */
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofMinutes(2);

  /** The first delay after a failed renewal; later delays double, with jitter. */
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofSeconds(1);

  /** The longest delay between renewal attempts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /** Consecutive failed background renewals after which the client stops trying on its own. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  private final String appKey;
  private final SecretValue appSecret;
  private final HttpUrl systemServer;
  private final int bcryptCost;
  private final Duration renewBefore;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;

  private AppKeyAuth(Builder b) {
    this.appKey = require(b.appKey, "appKey");
    this.appSecret = Objects.requireNonNull(b.appSecret, "appSecret is required").copy();
    this.systemServer = Objects.requireNonNull(b.systemServer, "systemServer is required");
    if (b.bcryptCost < 4 || b.bcryptCost > 31) {
      throw new IllegalArgumentException("bcryptCost must be between 4 and 31");
    }
    this.bcryptCost = b.bcryptCost;
    this.renewBefore = positive("renewBefore", b.renewBefore);
    this.minBackoff = positive("minBackoff", b.minBackoff);
    this.maxBackoff = positive("maxBackoff", b.maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be shorter than minBackoff");
    }
    if (b.maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = b.maxAttempts;
  }

  /** A builder with the defaults named above. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code OS_APP_KEY}, {@code OS_APP_SECRET} and {@code OS_SYSTEM_SERVER}.
   *
   * @param environment looks up a variable; returns null when unset
   * @throws ConfigurationException naming the first variable that is missing or invalid
   */
  public static AppKeyAuth fromEnvironment(Function<String, String> environment) {
    return builder().fromEnvironment(environment).build();
  }

  @Override
  public Generation generation() {
    return Generation.SYS_DATA;
  }

  @Override
  public Optional<HttpUrl> defaultEndpoint() {
    return Optional.of(systemServer);
  }

  /** The app key; an identifier, not a secret. */
  public String appKey() {
    return appKey;
  }

  /** A copy of the app secret; the caller should close it. */
  public SecretValue appSecret() {
    return appSecret.copy();
  }

  /** system-server's base URL. */
  public HttpUrl systemServer() {
    return systemServer;
  }

  /** The bcrypt cost of the token sent to {@code /permission/v1alpha1/access}. */
  public int bcryptCost() {
    return bcryptCost;
  }

  /** How long before expiry a token is renewed. */
  public Duration renewBefore() {
    return renewBefore;
  }

  /** The first delay after a failed renewal. */
  public Duration minBackoff() {
    return minBackoff;
  }

  /** The longest delay between renewal attempts. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Consecutive failed background renewals after which renewal waits for the next caller. */
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    return "AppKeyAuth[systemServer="
        + systemServer
        + ", appKey="
        + appKey
        + ", appSecret=redacted, bcryptCost="
        + bcryptCost
        + ", renewBefore="
        + renewBefore
        + "]";
  }

  private static String require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    return value;
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return d;
  }

  /** Builds an {@link AppKeyAuth}; not thread-safe. */
  public static final class Builder {
    private String appKey;
    private SecretValue appSecret;
    private HttpUrl systemServer;
    private int bcryptCost = DEFAULT_BCRYPT_COST;
    private Duration renewBefore = DEFAULT_RENEW_BEFORE;
    private Duration minBackoff = DEFAULT_MIN_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder() {}

    /**
     * Takes the app key, secret and system-server host from the environment variables; options set
     * afterwards override them.
     *
     * @throws ConfigurationException naming the first variable that is missing or invalid
     */
    public Builder fromEnvironment(Function<String, String> environment) {
      Objects.requireNonNull(environment, "environment");
      String key = environment.apply(ENV_APP_KEY);
      String secret = environment.apply(ENV_APP_SECRET);
      String server = environment.apply(ENV_SYSTEM_SERVER);
      if (key == null || key.isBlank()) {
        throw missing(ENV_APP_KEY);
      }
      if (secret == null || secret.isEmpty()) {
        throw missing(ENV_APP_SECRET);
      }
      if (server == null || server.isBlank()) {
        throw missing(ENV_SYSTEM_SERVER);
      }
      this.appKey = key.trim();
      this.appSecret = SecretValue.ofString(secret);
      this.systemServer = Urls.endpoint("environment variable " + ENV_SYSTEM_SERVER, server);
      return this;
    }

    private static ConfigurationException missing(String variable) {
      return new ConfigurationException(
          "environment variable "
              + variable
              + " is not set: Olares sets it in the pods of apps whose manifest declares"
              + " permission.sysData");
    }

    /** The app key ({@code OS_APP_KEY}). */
    public Builder appKey(String appKey) {
      this.appKey = appKey;
      return this;
    }

    /** The app secret ({@code OS_APP_SECRET}); the builder keeps a copy. */
    public Builder appSecret(SecretValue appSecret) {
      this.appSecret = Objects.requireNonNull(appSecret, "appSecret").copy();
      return this;
    }

    /**
     * system-server's host or base URL ({@code OS_SYSTEM_SERVER}); a bare host means {@code
     * http://host}.
     */
    public Builder systemServer(String hostOrUrl) {
      this.systemServer = Urls.endpoint("systemServer", hostOrUrl);
      return this;
    }

    /** The bcrypt cost; default {@value #DEFAULT_BCRYPT_COST}. */
    public Builder bcryptCost(int cost) {
      this.bcryptCost = cost;
      return this;
    }

    /** How long before expiry tokens are renewed; default two minutes. */
    public Builder renewBefore(Duration renewBefore) {
      this.renewBefore = renewBefore;
      return this;
    }

    /** The first and the longest delay between failed renewal attempts. */
    public Builder backoff(Duration min, Duration max) {
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /** Consecutive failed background renewals before the client waits for the next caller. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Builds the immutable strategy. */
    public AppKeyAuth build() {
      return new AppKeyAuth(this);
    }
  }
}
