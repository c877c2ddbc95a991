package io.olares.secrets.infisical.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.RetryPolicy;
import io.olares.secrets.testing.fake.infisical.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostGateTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final RetryPolicy.Sleeper sleeper =
      d -> {
        synchronized (slept) {
          slept.add(d);
        }
        clock.advance(d);
      };
  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
  private final HostGate gate = new HostGate("test");

  private HostGate.Permit enter() {
    return gate.enter(clock, sleeper, Duration.ofSeconds(30), Duration.ofSeconds(5), "test call");
  }

  @Test
  void anOpenGateLetsRequestsThroughWithoutWaiting() {
    gate.succeeded(enter());
    gate.succeeded(enter());

    assertThat(slept).isEmpty();
    assertThat(gate.failures()).isZero();
  }

  @Test
  void aRetryAfterClosesTheGateForExactlyThatLong() {
    gate.failed(enter(), Duration.ofSeconds(2), policy, new SplittableRandom(1), clock);

    HostGate.Permit next = enter();

    assertThat(slept).containsExactly(Duration.ofSeconds(2));
    assertThat(next.probe()).isTrue();
  }

  @Test
  void backoffGrowsWithConsecutiveFailuresUpToTheCapAndResetsOnSuccess() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 1; i <= 8; i++) {
      Duration wait = gate.failed(enter(), null, policy, random, clock);
      assertThat(wait).as("wait after failure %d", i).isLessThanOrEqualTo(policy.ceiling(i));
    }
    assertThat(policy.ceiling(8)).isEqualTo(Duration.ofSeconds(2));
    gate.succeeded(enter());

    assertThat(gate.failures()).isZero();
    assertThat(enter().probe()).isFalse();
  }

  @Test
  void aWaitLongerThanTheCallerAcceptsFailsAtOnce() {
    gate.failed(enter(), Duration.ofSeconds(60), policy, new SplittableRandom(1), clock);

    assertThatThrownBy(() -> enter())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("another 60 s");
    assertThat(slept).isEmpty();
  }

  @Test
  void whileAProbeIsOutNoOtherRequestIsLetThrough() throws Exception {
    gate.failed(enter(), Duration.ZERO, policy, new SplittableRandom(1), clock);
    HostGate.Permit probe = enter();
    assertThat(probe.probe()).isTrue();
    int waiting = 6;
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(waiting);
    List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            waiting,
            r -> {
              Thread t = new Thread(r);
              workers.add(t);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        futures.add(
            pool.submit(
                () -> {
                  started.countDown();
                  HostGate.Permit p = enter();
                  admitted.incrementAndGet();
                  gate.succeeded(p);
                  return null;
                }));
      }
      started.await(5, TimeUnit.SECONDS);
      awaitAllParked(workers, waiting);
      assertThat(admitted.get()).as("admitted while the probe is out").isZero();

      gate.succeeded(probe);

      for (Future<?> f : futures) {
        f.get(5, TimeUnit.SECONDS);
      }
      assertThat(admitted.get()).isEqualTo(waiting);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until every worker blocks inside the gate (or fails after five seconds). */
  private static void awaitAllParked(List<Thread> workers, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      long parked =
          workers.stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING).count();
      if (workers.size() == count && parked == count) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("workers did not all block in the gate");
  }
}
