package io.olares.secrets.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler a benchmarked {@link io.olares.secrets.provider.ProviderClient} fetches and renews
 * its tokens on: one daemon thread, delays divided by {@code speed} (a delay of {@code d} runs
 * after {@code d / speed} of real time), and a count of the tasks started and finished.
 *
 * <p>The client runs nothing else on this scheduler, so {@link #inProgress} — a task started and
 * not finished — means a token fetch or renewal (bcrypt, token request, installing the token) is
 * under way. A caller reads {@link #finished()} and then {@link #started()} before a call, and
 * {@link #started()} again after it: a renewal overlapped the call where the first two differ (one
 * was in progress when the call began) or the two reads of {@link #started()} differ (one began
 * during the call).
 */
final class TokenScheduler extends ScheduledThreadPoolExecutor {
  private final int speed;

  // written by the single worker thread only
  private volatile long started;
  private volatile long finished;
  private volatile long busyNanos;

  TokenScheduler(int speed) {
    super(
        1,
        r -> {
          Thread t = new Thread(r, "bench-token-scheduler");
          t.setDaemon(true);
          return t;
        });
    this.speed = speed;
  }

  /** Tasks started so far. */
  long started() {
    return started;
  }

  /** Tasks finished so far. */
  long finished() {
    return finished;
  }

  /** True between a task's start and its end. */
  boolean inProgress() {
    return started != finished;
  }

  /** The real time spent running tasks so far. */
  long busyNanos() {
    return busyNanos;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return super.schedule(tracked(command), unit.toNanos(delay) / speed, TimeUnit.NANOSECONDS);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Callable<V> tracked =
        () -> {
          long t = begin();
          try {
            return callable.call();
          } finally {
            end(t);
          }
        };
    return super.schedule(tracked, unit.toNanos(delay) / speed, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return super.scheduleAtFixedRate(
        tracked(command),
        unit.toNanos(initialDelay) / speed,
        Math.max(1, unit.toNanos(period) / speed),
        TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return super.scheduleWithFixedDelay(
        tracked(command),
        unit.toNanos(initialDelay) / speed,
        Math.max(1, unit.toNanos(delay) / speed),
        TimeUnit.NANOSECONDS);
  }

  private Runnable tracked(Runnable command) {
    return () -> {
      long t = begin();
      try {
        command.run();
      } finally {
        end(t);
      }
    };
  }

  private long begin() {
    started = started + 1;
    return System.nanoTime();
  }

  private void end(long t) {
    busyNanos = busyNanos + (System.nanoTime() - t);
    finished = finished + 1;
  }
}
