package io.olares.secrets.infisical.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-12-04T16:00:00Z");

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.parse("60", NOW)).contains(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse(" 2 ", NOW)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
  }

  @Test
  void readsAnHttpDateRelativeToNow() {
    assertThat(RetryAfter.parse("Fri, 04 Dec 2026 16:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Fri, 04 Dec 2026 15:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void capsAbsurdWaitsAtADay() {
    assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(Duration.ofDays(1));
    assertThat(RetryAfter.parse("864000", NOW)).contains(Duration.ofDays(1));
  }

  @Test
  void ignoresWhatItCannotRead() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
  }
}
