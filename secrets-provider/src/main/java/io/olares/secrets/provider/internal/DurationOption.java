package io.olares.secrets.provider.internal;

import io.olares.secrets.spi.StoreConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a duration option of a store within its allowed range, so that a value out of range is a
 * {@link io.olares.secrets.ConfigurationException} naming the store and the option, not an error of
 * the HTTP client or the authentication strategy later on.
 */
public final class DurationOption {
  /** The longest HTTP {@code timeout} a store may ask for. */
  public static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(10);

  /** The longest {@code renewBefore} a store may ask for. */
  public static final Duration LONGEST_RENEW_BEFORE = Duration.ofHours(1);

  private DurationOption() {}

  /**
   * The option {@code key}, where set: more than zero and at most {@code longest}.
   *
   * @param range the allowed range as the message states it ({@code 1ms and 10m})
   * @throws io.olares.secrets.ConfigurationException for a value that is not a duration, not
   *     positive or longer than {@code longest}
   */
  public static Optional<Duration> positive(
      StoreConfig config, String key, Duration longest, String range) {
    Optional<Duration> value = config.duration(key);
    value.ifPresent(
        d -> {
          if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(longest) > 0) {
            throw config.bad(key, "must be between " + range);
          }
        });
    return value;
  }

  /** The HTTP {@code timeout} option: from 1 ms to {@link #LONGEST_TIMEOUT}. */
  public static Optional<Duration> timeout(StoreConfig config) {
    return positive(config, "timeout", LONGEST_TIMEOUT, "1ms and 10m");
  }
}
