package io.olares.secrets.audit;

import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands audit events to another sink from one background thread, so callers do not wait for disks.
 *
 * <p>Events go into a bounded queue. The writer thread takes them in batches of up to {@value
 * #MAX_BATCH}, records each with the delegate and then, where the delegate is {@link Flushable},
 * flushes it once per batch: a {@link JsonLinesAuditSink} in {@link
 * JsonLinesAuditSink.Durability#SYNC_ON_FLUSH} mode forces one batch to the device at a time.
 *
 * <p>When the queue is full, {@link #record} waits for room rather than lose an event. {@link
 * #flush()} waits until every event recorded before it has been written and flushed. {@link
 * #close()} drains the queue, then closes the delegate; a shutdown hook does the same if the
 * application exits without closing. Thread-safe.
 */
public final class AsyncAuditSink implements AuditSink, Flushable {
  /** The queue capacity {@link JsonLinesAuditSink#openAsync(java.nio.file.Path)} uses. */
  public static final int DEFAULT_CAPACITY = 8192;

  /** The most events recorded between two flushes of the delegate. */
  public static final int MAX_BATCH = 512;

  private static final Logger LOG = LoggerFactory.getLogger(AsyncAuditSink.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final AuditEvent STOP =
      new AuditEvent(
          Instant.EPOCH, "-", io.olares.secrets.Operation.READ, "-", null, "-", "-", Duration.ZERO);

  private final AuditSink delegate;
  private final BlockingQueue<AuditEvent> queue;
  private final Thread writer;
  private final Thread shutdownHook;
  private final Object progress = new Object();
  private long accepted;
  private long done;
  private int putting;
  private volatile boolean closed;

  /**
   * Starts the writer thread.
   *
   * @param delegate the sink that writes; this sink closes it
   * @param capacity how many events may wait in the queue
   */
  public AsyncAuditSink(AuditSink delegate, int capacity) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drain, "olares-secrets-audit-" + THREADS.incrementAndGet());
    this.writer.setDaemon(true);
    this.shutdownHook = new Thread(this::close, writer.getName() + "-shutdown");
    this.writer.start();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The sink events are handed to. */
  public AuditSink delegate() {
    return delegate;
  }

  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (progress) {
      if (closed) {
        LOG.warn("audit event for {} dropped: the audit sink is closed", event.reference());
        return;
      }
      accepted++;
      putting++;
    }
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("audit event for {} dropped: interrupted while queueing", event.reference());
      markDone(1);
    } finally {
      synchronized (progress) {
        putting--;
        progress.notifyAll();
      }
    }
  }

  /** Waits until every event recorded before this call has been written and flushed. */
  @Override
  public void flush() {
    synchronized (progress) {
      long target = accepted;
      boolean interrupted = false;
      while (done < target && writer.isAlive()) {
        try {
          progress.wait(1000);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Drains the queue, stops the writer thread and closes the delegate; idempotent. */
  @Override
  public void close() {
    boolean interrupted = false;
    synchronized (progress) {
      if (closed) {
        return;
      }
      closed = true;
      while (putting > 0) {
        try {
          progress.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook is what runs this
      }
    }
    while (true) {
      try {
        queue.put(STOP);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AsyncAuditSink[" + delegate + ", queued=" + queue.size() + "]";
  }

  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      int handled = 0;
      for (AuditEvent event : batch) {
        if (event == STOP) {
          stop = true;
          continue;
        }
        handled++;
        try {
          delegate.record(event);
        } catch (RuntimeException e) {
          LOG.error("audit sink {} failed to record an event: {}", delegate, e.toString());
        }
      }
      batch.clear();
      flushDelegate();
      markDone(handled);
    }
    try {
      delegate.close();
    } catch (Exception e) {
      LOG.error("closing the audit sink {} failed: {}", delegate, e.toString());
    }
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void flushDelegate() {
    if (delegate instanceof Flushable) {
      try {
        ((Flushable) delegate).flush();
      } catch (IOException | RuntimeException e) {
        LOG.error("flushing the audit sink {} failed: {}", delegate, e.toString());
      }
    }
  }

  private void markDone(int count) {
    synchronized (progress) {
      done += count;
      progress.notifyAll();
    }
  }
}
