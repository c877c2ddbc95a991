package io.olares.secrets.provider.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import okhttp3.Headers;

/**
 * Reads the {@code Retry-After} header of a reply (RFC 9110, section 10.2.3): a number of seconds,
 * or an HTTP date (any of the three formats the RFC allows; OkHttp parses them).
 */
public final class RetryAfter {
  /** The header's name. */
  public static final String HEADER = "Retry-After";

  /** Longer requests are read as this: nobody waits a day inside a call anyway. */
  static final Duration LONGEST = Duration.ofDays(1);

  private RetryAfter() {}

  /**
   * The wait the reply asks for, measured from {@code now}; zero for a date already past, empty
   * where the header is absent or unreadable.
   */
  public static Optional<Duration> of(Headers headers, Instant now) {
    String value = headers.get(HEADER);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    if (isDigits(text)) {
      String digits = text.replaceFirst("^0+(?=.)", "");
      // more than 18 digits might overflow a long, and is longer than LONGEST in any case
      if (digits.length() > 18) {
        return Optional.of(LONGEST);
      }
      long seconds = Long.parseLong(digits);
      return Optional.of(seconds >= LONGEST.toSeconds() ? LONGEST : Duration.ofSeconds(seconds));
    }
    Date date = headers.getDate(HEADER);
    if (date == null) {
      return Optional.empty();
    }
    Duration wait = Duration.between(now, date.toInstant());
    if (wait.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(wait.compareTo(LONGEST) > 0 ? LONGEST : wait);
  }

  /**
   * The reply, with a delay-seconds {@code Retry-After} longer than {@link #LONGEST} replaced by
   * {@link #LONGEST}, which {@link #of} reads the same way. OkHttp reads the header of a 503 as an
   * {@code int} before the reply reaches the caller, and fails on a larger number. A 503's {@code
   * Retry-After: 0} becomes 1 second: on 0, OkHttp sends the request again at once by itself,
   * whatever the call, and so around the rules of what may be repeated.
   */
  static okhttp3.Response readableByOkHttp(okhttp3.Response response) {
    String value = response.header(HEADER);
    if (value == null || !isDigits(value.strip())) {
      return response;
    }
    String digits = value.strip().replaceFirst("^0+(?=.)", "");
    if (digits.equals("0") && response.code() == 503) {
      return response.newBuilder().header(HEADER, "1").build();
    }
    if (digits.length() <= 18 && Long.parseLong(digits) <= LONGEST.toSeconds()) {
      return response;
    }
    return response.newBuilder().header(HEADER, Long.toString(LONGEST.toSeconds())).build();
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !text.isEmpty();
  }
}
