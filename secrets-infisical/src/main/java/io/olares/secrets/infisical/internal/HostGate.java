package io.olares.secrets.infisical.internal;

import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The backoff state of one host, shared by every call to it in the process. After a failure or a
 * server-requested wait, no request is sent before the gate reopens; when it reopens, one request
 * (the probe) goes first and the others wait for its outcome. So however many threads call, a
 * struggling host sees one request per backoff period, not one per thread.
 *
 * <p>Thread-safe.
 */
public final class HostGate {
  private static final ConcurrentMap<Key, HostGate> GATES = new ConcurrentHashMap<>();

  /** Gates are per host and per time source: times from different clocks do not compare. */
  private record Key(String host, Clock clock) {}

  private final String host;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private Instant openAt = Instant.MIN;
  private int failures;
  private boolean probing;

  HostGate(String host) {
    this.host = host;
  }

  /**
   * The gate of {@code host} (scheme, host and port), shared process-wide by every caller on the
   * same clock ({@link Clock#systemUTC()} in production).
   */
  public static HostGate of(String host, Clock clock) {
    return GATES.computeIfAbsent(new Key(host, clock), k -> new HostGate(k.host()));
  }

  /** Permission to send one request; report its outcome exactly once. */
  public static final class Permit {
    private final boolean probe;
    private boolean done;

    private Permit(boolean probe) {
      this.probe = probe;
    }

    /** True where this request probes a host that was failing. */
    public boolean probe() {
      return probe;
    }
  }

  /**
   * Waits until a request may go to the host.
   *
   * @param maxWait the longest wait accepted; a longer one fails at once
   * @param probeWait the longest time to wait for another thread's probe
   * @throws StoreUnavailableException where the host asked for a longer wait than {@code maxWait}
   */
  public Permit enter(
      Clock clock, RetryPolicy.Sleeper sleeper, Duration maxWait, Duration probeWait, String what) {
    long probeDeadline = System.nanoTime() + probeWait.toNanos();
    while (true) {
      Duration wait;
      lock.lock();
      try {
        Instant now = clock.instant();
        if (now.isBefore(openAt)) {
          wait = Duration.between(now, openAt);
          if (wait.compareTo(maxWait) > 0) {
            throw new StoreUnavailableException(
                "Infisical at "
                    + host
                    + " is backing off for another "
                    + seconds(wait)
                    + " s (it asked clients to wait); not sending "
                    + what
                    + " sooner");
          }
        } else if (failures > 0 && probing && System.nanoTime() < probeDeadline) {
          awaitProbe(probeDeadline);
          continue;
        } else {
          boolean probe = failures > 0;
          if (probe) {
            probing = true;
          }
          return new Permit(probe);
        }
      } finally {
        lock.unlock();
      }
      sleep(sleeper, wait, what);
    }
  }

  private void awaitProbe(long deadline) {
    try {
      changed.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for Infisical at " + host, e);
    }
  }

  private void sleep(RetryPolicy.Sleeper sleeper, Duration wait, String what) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "interrupted while backing off before " + what + " to Infisical at " + host, e);
    }
  }

  /** The host answered normally: clear the backoff. */
  public void succeeded(Permit permit) {
    lock.lock();
    try {
      if (finish(permit)) {
        failures = 0;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The host failed or asked for a wait: close the gate for {@code retryAfter} where given, else
   * for a full-jitter backoff that grows with the host's consecutive failures.
   *
   * @return how long the gate stays closed from now
   */
  public Duration failed(
      Permit permit, Duration retryAfter, RetryPolicy policy, RandomGenerator random, Clock clock) {
    lock.lock();
    try {
      finish(permit);
      failures++;
      Duration delay = retryAfter != null ? retryAfter : jitter(policy.ceiling(failures), random);
      Instant until = clock.instant().plus(delay);
      if (until.isAfter(openAt)) {
        openAt = until;
      }
      changed.signalAll();
      return Duration.between(clock.instant(), openAt);
    } finally {
      lock.unlock();
    }
  }

  /** Releases a permit without judging the host (the outcome said nothing about it). */
  public void release(Permit permit) {
    lock.lock();
    try {
      if (finish(permit)) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean finish(Permit permit) {
    if (permit.done) {
      return false;
    }
    permit.done = true;
    if (permit.probe) {
      probing = false;
    }
    return true;
  }

  private static Duration jitter(Duration ceiling, RandomGenerator random) {
    long max = ceiling.toMillis();
    return max <= 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(max + 1));
  }

  /** Consecutive failures seen on this host. */
  public int failures() {
    lock.lock();
    try {
      return failures;
    } finally {
      lock.unlock();
    }
  }

  /** When requests may go again; {@link Instant#MIN} when open. */
  public Instant openAt() {
    lock.lock();
    try {
      return openAt;
    } finally {
      lock.unlock();
    }
  }

  private static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  @Override
  public String toString() {
    return "HostGate[" + host + "]";
  }
}
