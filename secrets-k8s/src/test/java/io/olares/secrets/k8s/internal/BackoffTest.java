package io.olares.secrets.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysDoubleUpToTheCapWithinTheirJitterRange() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.9999);

    assertThat(sequence(low)).containsExactly(50L, 100L, 200L, 400L, 500L, 500L);
    assertThat(sequence(high)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void aSuccessStartsOverFromTheInitialDelay() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.9999);
    b.next();
    b.next();
    assertThat(b.failures()).isEqualTo(2);

    b.reset();

    assertThat(b.failures()).isZero();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void manyFailuresNeverOverflowPastTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.9999);
    for (int i = 0; i < 100; i++) {
      assertThat(b.next()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void aCapBelowTheInitialDelayIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long[] sequence(Backoff b) {
    long[] out = new long[6];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.next().toMillis();
    }
    return out;
  }
}
