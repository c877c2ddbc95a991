package io.olares.secrets.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.testing.fake.olares.FakeTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A renewal's thread never delays a caller that can be served the current token. */
class RenewingTokenTest {
  private static final Duration LIFETIME = Duration.ofMinutes(5);

  private FakeTime time;
  private StallingClock clock;
  private final AtomicInteger issued = new AtomicInteger();
  private RenewingToken token;

  @BeforeEach
  void setUp() {
    time = new FakeTime(Instant.parse("2025-03-01T10:00:00Z"));
    clock = new StallingClock(time);
    token =
        new RenewingToken(
            "test token",
            () ->
                new RenewingToken.IssuedToken(
                    "token-" + issued.incrementAndGet(), time.now().plus(LIFETIME)),
            clock,
            time.scheduler(),
            Duration.ofMinutes(2),
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(7)),
            5,
            Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() {
    clock.release();
    token.close();
    time.close();
  }

  @Test
  void callersAreServedTheCurrentTokenWhileTheRenewalThreadStallsInstallingItsToken()
      throws Exception {
    assertThat(token.token()).isEqualTo("token-1");
    clock.stallTheWorkerOnItsNextRead();

    // The renewal falls due at 3:00 (2 minutes before expiry). Its fetch returns token-2, and the
    // worker then stalls on its clock read while it installs the new token.
    Thread renewal = new Thread(() -> time.advance(Duration.ofMinutes(3)), "advance-to-renewal");
    renewal.start();
    assertThat(clock.awaitStall()).isTrue();
    assertThat(issued).hasValue(2);

    for (int i = 0; i < 3; i++) {
      assertThat(token.token()).isEqualTo("token-1");
    }
    assertThat(renewal.isAlive()).as("the renewal is still stalled").isTrue();

    clock.release();
    renewal.join(30_000);
    assertThat(clock.stallTimedOut()).as("the stall ended before its time limit").isFalse();
    assertThat(token.token()).isEqualTo("token-2");
    assertThat(issued).hasValue(2);
  }

  @Test
  void aTokenUsedOnlyByCallersServedWithoutTheLockIsStillRenewed() {
    assertThat(token.token()).isEqualTo("token-1");
    time.advance(Duration.ofMinutes(3)); // token-1 renewed at 3:00; nobody has used token-2 yet
    assertThat(issued).hasValue(2);

    time.advance(Duration.ofMinutes(1));
    assertThat(token.token()).isEqualTo("token-2"); // valid: served without the lock

    time.advance(Duration.ofMinutes(2)); // token-2 renewed at 6:00, because it was used
    assertThat(issued).hasValue(3);
    assertThat(token.expiresAt()).contains(time.now().plus(LIFETIME));
  }

  /** The test's clock; once armed, the worker's next read blocks until released. */
  private static final class StallingClock extends Clock {
    private final FakeTime time;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean timedOut = new AtomicBoolean();

    StallingClock(FakeTime time) {
      this.time = time;
    }

    void stallTheWorkerOnItsNextRead() {
      armed.set(true);
    }

    boolean awaitStall() throws InterruptedException {
      return stalled.await(30, TimeUnit.SECONDS);
    }

    void release() {
      released.countDown();
    }

    boolean stallTimedOut() {
      return timedOut.get();
    }

    @Override
    public Instant instant() {
      if (time.isWorker(Thread.currentThread()) && armed.compareAndSet(true, false)) {
        stalled.countDown();
        try {
          if (!released.await(30, TimeUnit.SECONDS)) {
            timedOut.set(true);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return time.now();
    }

    @Override
    public ZoneId getZone() {
      return time.clock().getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }
}
