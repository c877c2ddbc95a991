package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void theBackoffCeilingDoublesFromTheBaseAndStopsAtTheCap() {
    RetryPolicy p = RetryPolicy.DEFAULT;

    assertThat(p.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.ceiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.ceiling(5)).isEqualTo(Duration.ofMillis(3200));
    assertThat(p.ceiling(6)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.ceiling(1000)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryPolicy.NONE.ceiling(3)).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(
            () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(
            () -> new RetryPolicy(2, Duration.ofSeconds(-1), Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("negative");
  }
}
