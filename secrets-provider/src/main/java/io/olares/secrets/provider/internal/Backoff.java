package io.olares.secrets.provider.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of {@code min *
 * 2^(n-1)}, capped at {@code max}. Not thread-safe; callers hold their own lock.
 */
public final class Backoff {
  private final Duration min;
  private final Duration max;
  private final RandomGenerator random;

  /** A backoff between {@code min} and {@code max}, jittered by {@code random}. */
  public Backoff(Duration min, Duration max, RandomGenerator random) {
    this.min = Objects.requireNonNull(min, "min");
    this.max = Objects.requireNonNull(max, "max");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The delay before attempt {@code failures + 1}, after {@code failures} failures (1 or more). */
  public Duration delay(int failures) {
    long base = min.toMillis();
    for (int i = 1; i < failures && base < max.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toMillis());
    long half = base / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
