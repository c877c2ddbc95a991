package io.olares.secrets.infisical;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Immutable options of an Infisical store. Build with {@link #builder(String, InfisicalAuth)}.
 *
 * <p>Defaults: connect timeout 5 s, read timeout 10 s, whole-request timeout 30 s, {@link
 * RetryPolicy#DEFAULT}, background token renewal on, the token revoked when the store closes, a
 * token counted as expired 10 s early.
 */
public final class InfisicalOptions {
  private final URI site;
  private final InfisicalAuth auth;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final RetryPolicy retry;
  private final boolean backgroundRenewal;
  private final boolean revokeOnClose;
  private final Duration tokenSkew;
  private final Map<String, String> projectOwners;
  private final RetryPolicy.Sleeper sleeper;
  private final RandomGenerator random;

  private InfisicalOptions(Builder b) {
    this.site = b.site;
    this.auth = b.auth;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout;
    this.retry = b.retry;
    this.backgroundRenewal = b.backgroundRenewal;
    this.revokeOnClose = b.revokeOnClose;
    this.tokenSkew = b.tokenSkew;
    this.projectOwners = Map.copyOf(b.projectOwners);
    this.sleeper = b.sleeper;
    this.random = b.random;
  }

  /**
   * Starts options for the Infisical server at {@code site} (e.g. {@code https://app.infisical.com}
   * or a self-hosted address; {@code /api} is appended by the store).
   */
  public static Builder builder(String site, InfisicalAuth auth) {
    return new Builder(site, auth);
  }

  /** The server's base address, without a trailing slash. */
  public URI site() {
    return site;
  }

  /** The authentication strategy. */
  public InfisicalAuth auth() {
    return auth;
  }

  /** Timeout to open a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Timeout between bytes while reading an answer. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Timeout for one whole request, answer included. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** The retry policy. */
  public RetryPolicy retry() {
    return retry;
  }

  /** True where tokens are renewed on a background thread before they expire. */
  public boolean backgroundRenewal() {
    return backgroundRenewal;
  }

  /** True where a token the store obtained by logging in is revoked when the store closes. */
  public boolean revokeOnClose() {
    return revokeOnClose;
  }

  /** How long before its expiry a token is no longer used. */
  public Duration tokenSkew() {
    return tokenSkew;
  }

  /**
   * Projects (by id or slug as written in references) that hold one app's own application
   * credentials, mapped to that app. References into other projects are plain credentials.
   */
  public Map<String, String> projectOwners() {
    return projectOwners;
  }

  /** How the store waits between attempts. */
  public RetryPolicy.Sleeper sleeper() {
    return sleeper;
  }

  /** The source of backoff jitter. */
  public RandomGenerator random() {
    return random;
  }

  @Override
  public String toString() {
    return "InfisicalOptions[site=" + site + ", auth=" + auth + ", retry=" + retry + "]";
  }

  /** Builds {@link InfisicalOptions}. */
  public static final class Builder {
    private final URI site;
    private final InfisicalAuth auth;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private boolean backgroundRenewal = true;
    private boolean revokeOnClose = true;
    private Duration tokenSkew = Duration.ofSeconds(10);
    private Map<String, String> projectOwners = Map.of();
    private RetryPolicy.Sleeper sleeper = RetryPolicy.Sleeper.SYSTEM;
    private RandomGenerator random = new java.security.SecureRandom();

    private Builder(String site, InfisicalAuth auth) {
      this.site = parseSite(site);
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    private static URI parseSite(String site) {
      Objects.requireNonNull(site, "site");
      URI uri;
      try {
        uri = URI.create(site.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("site '" + site + "' is not a URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("site '" + site + "' must be an http(s) URL");
      }
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "site '" + uri.getHost() + "' must not carry user info, query or fragment");
      }
      String text = uri.toString();
      while (text.endsWith("/")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.endsWith("/api")) {
        text = text.substring(0, text.length() - 4);
      }
      return URI.create(text);
    }

    /** Timeout to open a connection (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Timeout between bytes of an answer (default 10 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Timeout of one whole request (default 30 s). */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** The retry policy (default {@link RetryPolicy#DEFAULT}). */
    public Builder retry(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "retry");
      return this;
    }

    /** Renew tokens on a background thread (default true). */
    public Builder backgroundRenewal(boolean on) {
      this.backgroundRenewal = on;
      return this;
    }

    /** Revoke a token obtained by login when the store closes (default true). */
    public Builder revokeOnClose(boolean on) {
      this.revokeOnClose = on;
      return this;
    }

    /** Stop using a token this long before it expires (default 10 s). */
    public Builder tokenSkew(Duration skew) {
      Objects.requireNonNull(skew, "tokenSkew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("tokenSkew must not be negative");
      }
      this.tokenSkew = skew;
      return this;
    }

    /** Projects that hold an app's own application credentials, mapped to the app. */
    public Builder projectOwners(Map<String, String> owners) {
      this.projectOwners = Map.copyOf(owners);
      return this;
    }

    /** How to wait between attempts (tests pass one that advances a manual clock). */
    public Builder sleeper(RetryPolicy.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The source of backoff jitter (default a {@link java.security.SecureRandom}). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The options. */
    public InfisicalOptions build() {
      return new InfisicalOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
