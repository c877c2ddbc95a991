package io.olares.secrets.infisical.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses {@code Retry-After}: delay seconds or an HTTP date (RFC 9110, section 10.2.3). */
public final class RetryAfter {
  private static final Duration LONGEST = Duration.ofDays(1);

  private RetryAfter() {}

  /** The wait the header asks for, relative to {@code now}; empty where absent or unreadable. */
  public static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(min(Duration.ofSeconds(Long.parseLong(value))));
      } catch (NumberFormatException e) {
        return Optional.of(LONGEST);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : min(d));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration d) {
    return d.compareTo(LONGEST) > 0 ? LONGEST : d;
  }
}
