package io.olares.secrets.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private static java.util.Optional<Duration> of(String value) {
    return RetryAfter.of(Headers.of("Retry-After", value), NOW);
  }

  @Test
  void delaySecondsAreReadAsSeconds() {
    assertThat(of("0")).contains(Duration.ZERO);
    assertThat(of("120")).contains(Duration.ofSeconds(120));
    assertThat(of(" 7 ")).contains(Duration.ofSeconds(7));
  }

  @Test
  void anHttpDateInEachFormatTheRfcAllowsIsReadRelativeToNow() {
    assertThat(of("Sat, 01 Mar 2025 10:00:30 GMT")).contains(Duration.ofSeconds(30));
    assertThat(of("Saturday, 01-Mar-25 10:01:00 GMT")).contains(Duration.ofMinutes(1));
    assertThat(of("Sat Mar  1 10:00:05 2025")).contains(Duration.ofSeconds(5));
  }

  @Test
  void aDateAlreadyPastMeansNoWait() {
    assertThat(of("Sat, 01 Mar 2025 09:59:00 GMT")).contains(Duration.ZERO);
  }

  @Test
  void anythingLongerThanADayReadsAsADay() {
    assertThat(of("86401")).contains(RetryAfter.LONGEST);
    assertThat(of("99999999999999999999999")).contains(RetryAfter.LONGEST);
    assertThat(of("Sun, 09 Mar 2025 10:00:00 GMT")).contains(RetryAfter.LONGEST);
  }

  @Test
  void anAbsentOrUnreadableHeaderAsksForNothing() {
    assertThat(RetryAfter.of(Headers.of(), NOW)).isEmpty();
    assertThat(of("")).isEmpty();
    assertThat(of("-5")).isEmpty();
    assertThat(of("1.5")).isEmpty();
    assertThat(of("soon")).isEmpty();
  }
}
