package io.olares.secrets.k8s.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] where d = {@code initial}
 * × 2^n, capped at {@code max}. Not thread-safe: one per retry loop.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private int failures;

  /**
   * Creates a backoff.
   *
   * @param initial the first delay's upper bound
   * @param max the cap
   * @param random uniform numbers in [0, 1)
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    this.random = Objects.requireNonNull(random, "random");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
    }
  }

  /** The delay before the next attempt; each call counts one more failure. */
  public Duration next() {
    long cap = max.toMillis();
    long base = initial.toMillis();
    long upper = failures >= 30 ? cap : Math.min(cap, base << failures);
    failures++;
    long lower = upper / 2;
    return Duration.ofMillis(lower + (long) (random.getAsDouble() * (upper - lower + 1)));
  }

  /** A success: the next delay starts from {@code initial} again. */
  public void reset() {
    failures = 0;
  }

  /** How many failures in a row were counted. */
  public int failures() {
    return failures;
  }
}
