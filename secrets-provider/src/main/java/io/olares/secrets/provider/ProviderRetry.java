package io.olares.secrets.provider;

import io.olares.secrets.spi.StoreConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How often and how long a {@link ProviderClient} repeats a failed call; {@link Idempotency}
 * decides which failures are repeated at all.
 *
 * <p>Before repeat {@code n} the client waits what the server asked for in {@code Retry-After}
 * (delay-seconds or an HTTP date), else an exponential backoff with jitter: between half and all of
 * {@code min(maxDelay, baseDelay * 2^(n-1))}. {@code maxWait} bounds the whole retrying of one
 * call, measured from the moment its first request failed: no wait runs past it, no repeat starts
 * after it, and a repeated request's call timeout is cut to what is left of it. A {@code
 * Retry-After} that does not fit in what is left is not waited out at all: the call fails at once,
 * since repeating sooner than the server asked would only be refused again. So a call takes at most
 * the time of its first request (bounded by the HTTP timeouts) plus {@code maxWait}; where the
 * client needs a generation-1 access token first, fetching it is bounded the same way.
 *
 * @param retries how many times a call is repeated after its first request (0 to {@value
 *     #MAX_RETRIES}); a repeat after a 401 with a fresh credential does not count
 * @param maxWait the longest time a call spends repeating, waits and requests together
 * @param baseDelay the backoff ceiling before the first repeat
 * @param maxDelay the largest backoff ceiling
 */
public record ProviderRetry(int retries, Duration maxWait, Duration baseDelay, Duration maxDelay) {
  /** The store option naming {@link #retries()}. */
  public static final String RETRIES_OPTION = "retries";

  /** The store option naming {@link #maxWait()}. */
  public static final String MAX_WAIT_OPTION = "retryMaxWait";

  /** The most repeats a configuration may ask for. */
  public static final int MAX_RETRIES = 10;

  /** The longest {@link #maxWait()} a configuration may ask for. */
  public static final Duration LONGEST_MAX_WAIT = Duration.ofMinutes(10);

  /** Two repeats within 10 s, backoff ceilings from 500 ms up to 4 s. */
  public static final ProviderRetry DEFAULT =
      new ProviderRetry(2, Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(4));

  /** Every call is sent once (a 401 still earns one repeat with a fresh credential). */
  public static final ProviderRetry NONE =
      new ProviderRetry(0, Duration.ZERO, DEFAULT.baseDelay(), DEFAULT.maxDelay());

  /**
   * Validates.
   *
   * @throws IllegalArgumentException for a negative or out-of-range part
   */
  public ProviderRetry {
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new IllegalArgumentException("retries must be between 0 and " + MAX_RETRIES);
    }
    if (maxWait.isNegative() || baseDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("retry durations must not be negative");
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must not be shorter than baseDelay");
    }
  }

  /** {@code retries} repeats within {@code maxWait}, with the default backoff. */
  public static ProviderRetry of(int retries, Duration maxWait) {
    return new ProviderRetry(retries, maxWait, DEFAULT.baseDelay(), DEFAULT.maxDelay());
  }

  /**
   * The retry options of a store: {@value #RETRIES_OPTION} (an integer from 0 to {@value
   * #MAX_RETRIES}, default 2) and {@value #MAX_WAIT_OPTION} (a duration from {@code 0s} to {@code
   * 10m}, default {@code 10s}).
   *
   * @throws io.olares.secrets.ConfigurationException naming the option that is wrong
   */
  public static ProviderRetry fromConfig(StoreConfig config) {
    int retries = config.integer(RETRIES_OPTION).orElse(DEFAULT.retries());
    if (retries < 0 || retries > MAX_RETRIES) {
      throw config.bad(RETRIES_OPTION, "must be between 0 and " + MAX_RETRIES);
    }
    Duration maxWait = config.duration(MAX_WAIT_OPTION).orElse(DEFAULT.maxWait());
    if (maxWait.isNegative() || maxWait.compareTo(LONGEST_MAX_WAIT) > 0) {
      throw config.bad(MAX_WAIT_OPTION, "must be between 0s and 10m");
    }
    return of(retries, maxWait);
  }

  /**
   * Waits between attempts. {@link #SYSTEM} sleeps for real; tests pass one that records the waits
   * (and may move a test clock) instead.
   */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps the calling thread. */
    Sleeper SYSTEM =
        duration -> {
          if (!duration.isNegative() && !duration.isZero()) {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
          }
        };

    /**
     * Returns once {@code duration} has passed.
     *
     * @throws InterruptedException where the thread is interrupted meanwhile
     */
    void sleep(Duration duration) throws InterruptedException;
  }
}
