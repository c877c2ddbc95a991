package io.olares.secrets.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How the facade caches reads. Values that need an approval per use are never cached, whatever
 * these options say.
 *
 * @param ttl how long a value is served without asking the store; zero disables caching
 * @param refreshAhead how long before expiry a read triggers a background refresh
 * @param staleIfError how long past expiry a value may still be served while the store fails
 * @param negativeTtl how long a "not found" answer is remembered
 * @param maxEntries the most values held; the least recently used are evicted (and wiped)
 */
public record CacheOptions(
    Duration ttl,
    Duration refreshAhead,
    Duration staleIfError,
    Duration negativeTtl,
    int maxEntries) {

  /** Five minutes, refresh 30 s ahead, stale up to 1 h on errors, 5 s negative, 10,000 entries. */
  public static final CacheOptions DEFAULTS =
      new CacheOptions(
          Duration.ofMinutes(5),
          Duration.ofSeconds(30),
          Duration.ofHours(1),
          Duration.ofSeconds(5),
          10_000);

  /** No caching at all. */
  public static final CacheOptions DISABLED =
      new CacheOptions(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

  /** Validates. */
  public CacheOptions {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(refreshAhead, "refreshAhead");
    Objects.requireNonNull(staleIfError, "staleIfError");
    Objects.requireNonNull(negativeTtl, "negativeTtl");
    if (ttl.isNegative()
        || refreshAhead.isNegative()
        || staleIfError.isNegative()
        || negativeTtl.isNegative()) {
      throw new IllegalArgumentException("cache durations must not be negative");
    }
    if (maxEntries < 0) {
      throw new IllegalArgumentException("cache maxEntries must not be negative");
    }
    if (refreshAhead.compareTo(ttl) > 0) {
      throw new IllegalArgumentException("cache refreshAhead must not exceed ttl");
    }
  }

  /** True where caching is on. */
  public boolean enabled() {
    return !ttl.isZero() && maxEntries > 0;
  }
}
