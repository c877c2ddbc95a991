package io.olares.secrets.infisical;

import java.time.Duration;
import java.util.Objects;

/**
 * How calls to Infisical are retried. Only calls that are safe to repeat are retried after a
 * failure whose effect is unknown (a reset connection, a read timeout, a 5xx): reads, logins and
 * token renewals. Creating, updating and deleting a secret is retried only when the request never
 * reached the server (the connection could not be made) or the server declined it before acting
 * ({@code 429}, or any status carrying {@code Retry-After}).
 *
 * <p>Waits follow exponential backoff with full jitter: before retry {@code n} a random delay in
 * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}. A {@code Retry-After} the server sends (on any
 * status; the real server sends it with 500 when a rate limit is exceeded) replaces that delay. A
 * {@code Retry-After} longer than {@link #maxRetryAfter()} is not waited out inside a call: the
 * call fails at once with a {@link io.olares.secrets.StoreUnavailableException} and no request goes
 * to that host before the server's time is up. Backoff state is shared by every call to the same
 * host in the process, so concurrent threads wait together instead of retrying in a storm, and
 * after a wait one request probes the host before the others follow.
 *
 * @param maxAttempts the most requests one call makes, the first included (at least 1)
 * @param baseDelay the first backoff ceiling
 * @param maxDelay the largest backoff ceiling
 * @param maxRetryAfter the longest server-requested wait a call sits out
 */
public record RetryPolicy(
    int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

  /** Four attempts, 200 ms base, 5 s cap, waits of up to 30 s that the server asks for. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));

  /** One attempt, no retries. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** Validates. */
  public RetryPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("retry delays must not be negative");
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must not be below baseDelay");
    }
  }

  /** The backoff ceiling before retry number {@code failures} (1-based), capped at maxDelay. */
  public Duration ceiling(int failures) {
    if (failures < 1 || baseDelay.isZero()) {
      return Duration.ZERO;
    }
    int shift = Math.min(failures - 1, 30);
    long millis = baseDelay.toMillis();
    long scaled = millis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : millis << shift;
    return scaled >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis(scaled);
  }

  /** Waits for a duration; tests replace it to run without real waiting. */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps on the real clock. */
    Sleeper SYSTEM =
        duration -> {
          long nanos = duration.toNanos();
          if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
          }
        };

    /** Returns after {@code duration}, or throws when interrupted. */
    void sleep(Duration duration) throws InterruptedException;
  }
}
