package io.olares.secrets.fakes;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Collects tasks and runs them only when the test says so. Thread-safe. */
public final class ManualExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  public synchronized int pending() {
    return tasks.size();
  }

  /** Runs every queued task (and any they queue) in the calling thread; returns how many. */
  public int runAll() {
    int n = 0;
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
      }
      if (next == null) {
        return n;
      }
      next.run();
      n++;
    }
  }
}
