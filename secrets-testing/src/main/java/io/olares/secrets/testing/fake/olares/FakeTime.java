package io.olares.secrets.testing.fake.olares;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time a test controls: a {@link Clock} that moves only when told, and a {@link
 * ScheduledExecutorService} whose delayed tasks run when {@link #advance(Duration)} passes their
 * due time. Every task runs on one worker thread of its own, never on the thread that advances time
 * or calls the code under test, so a test can tell background work from caller work.
 *
 * <p>Tasks submitted without delay run at once on the worker. Fixed-rate and fixed-delay scheduling
 * are not supported. Thread-safe.
 */
public final class FakeTime implements AutoCloseable {
  /** The name of the worker thread. */
  public static final String WORKER_NAME = "fake-time-worker";

  private final Object lock = new Object();
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ExecutorService worker;
  private final Scheduler scheduler = new Scheduler();
  private final ManualClock clock = new ManualClock();
  private volatile Instant now;
  private volatile Thread workerThread;

  /** Time starting at {@code start}. */
  public FakeTime(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, WORKER_NAME);
              t.setDaemon(true);
              workerThread = t;
              return t;
            });
  }

  /** The clock; reads {@link #now()}. */
  public Clock clock() {
    return clock;
  }

  /** The scheduler whose delayed tasks run as time advances. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** The current instant. */
  public Instant now() {
    return now;
  }

  /** True on the worker thread that runs every task. */
  public boolean isWorker(Thread thread) {
    return thread == workerThread;
  }

  /** Delayed tasks not yet run or cancelled. */
  public int pendingTasks() {
    synchronized (lock) {
      queue.removeIf(Task::isCancelled);
      return queue.size();
    }
  }

  /**
   * Moves time forward by {@code step}, running every task that falls due on the way, in due order,
   * with the clock set to each task's due time while it runs; returns when they have all finished.
   */
  public void advance(Duration step) {
    Instant target = now.plus(step);
    while (true) {
      Task<?> next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          break;
        }
        queue.poll();
      }
      if (next.isCancelled()) {
        continue;
      }
      if (next.due.isAfter(now)) {
        now = next.due;
      }
      runOnWorker(next);
    }
    now = target;
    drain();
  }

  /** Waits until the tasks already handed to the worker have finished. */
  public void drain() {
    runOnWorker(new FutureTask<>(() -> null));
  }

  private void runOnWorker(FutureTask<?> task) {
    try {
      worker.submit(task).get(30, TimeUnit.SECONDS);
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running a scheduled task", e);
    } catch (ExecutionException e) {
      // the task's own failure stays in its future, as with a real scheduler
    } catch (TimeoutException e) {
      throw new IllegalStateException("a scheduled task ran for more than 30 s", e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }

  private final class ManualClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("FakeTime's clock is UTC only");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final Instant due;
    private final long seq = sequence.incrementAndGet();

    Task(Callable<V> callable, Instant due) {
      super(callable);
      this.due = due;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now, due));
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    private volatile boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      if (shutdown) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }
      Task<V> task = new Task<>(callable, now.plus(Duration.ofNanos(unit.toNanos(delay))));
      if (delay <= 0) {
        worker.execute(task);
      } else {
        synchronized (lock) {
          queue.add(task);
        }
      }
      return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException("FakeTime does not schedule at a fixed rate");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("FakeTime does not schedule with a fixed delay");
    }

    @Override
    public void execute(Runnable command) {
      if (shutdown) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }
      worker.execute(command);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      synchronized (lock) {
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
      }
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
