package io.olares.secrets.internal;

import io.olares.secrets.Classification;
import io.olares.secrets.audit.AuditEvent;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Counts the reads a facade serves from its cache, per secret, so that the audit trail gets one
 * event per secret and window (a {@linkplain AuditEvent#tally tally}) instead of one per read.
 *
 * <p>Each reading thread counts into a buffer of its own, under that buffer's lock, which only
 * {@link #drain} ever takes as well: a count is a thread-local lookup, an uncontended lock and a
 * map increment, and it writes nothing another reading thread touches (a counter shared by the
 * threads that read one secret would move its cache line between cores on every read). {@link
 * #drain} takes each buffer's lock in turn, adds up and empties it, so a read is reported by
 * exactly one drain: never lost and never twice. Past {@code maxKeys} distinct secrets in one
 * thread's buffer within a window, {@link #count} refuses, and the caller records that read as an
 * event of its own. Thread-safe; {@link #drain} calls are serialized.
 */
public final class ReadTally {
  private final String app;
  private final int maxKeys;
  private final ConcurrentLinkedQueue<Buffer> buffers = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Buffer> local = ThreadLocal.withInitial(this::register);
  private final Object draining = new Object();
  private Instant windowStart;

  /** One thread's counts since the last drain; guarded by its own monitor. */
  private static final class Buffer {
    final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());
    final Map<String, Count> counts = new HashMap<>();
  }

  private static final class Count {
    final Classification classification;
    long reads;

    Count(Classification classification) {
      this.classification = classification;
    }
  }

  /**
   * A tally for {@code app}'s reads.
   *
   * @param app the calling app, named in every tally
   * @param maxKeys how many distinct secrets one thread may count within one window
   * @param start when the first window opens
   */
  public ReadTally(String app, int maxKeys, Instant start) {
    this.app = Objects.requireNonNull(app, "app");
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.maxKeys = maxKeys;
    this.windowStart = Objects.requireNonNull(start, "start");
  }

  private Buffer register() {
    Buffer b = new Buffer();
    buffers.add(b);
    return b;
  }

  /**
   * Counts one allowed, successful, cache-served read of {@code reference}.
   *
   * @return false where the read was not counted (too many distinct secrets in this thread's
   *     window, or a classification that differs from the one counted for it so far): the caller
   *     records it itself
   */
  public boolean count(String reference, Classification classification) {
    Buffer b = local.get();
    synchronized (b) {
      Count c = b.counts.get(reference);
      if (c == null) {
        if (b.counts.size() >= maxKeys) {
          return false;
        }
        c = new Count(classification);
        b.counts.put(reference, c);
      } else if (c.classification != classification) {
        return false;
      }
      c.reads++;
      return true;
    }
  }

  /**
   * Hands one tally per secret read since the previous drain to {@code sink}, in reference order,
   * covering the time from the previous drain (or the start) to {@code until}.
   *
   * @return how many reads the tallies stand for
   */
  public long drain(Instant until, Consumer<AuditEvent> sink) {
    synchronized (draining) {
      Map<String, Map<Classification, long[]>> totals = new TreeMap<>();
      for (Iterator<Buffer> it = buffers.iterator(); it.hasNext(); ) {
        Buffer b = it.next();
        synchronized (b) {
          for (Map.Entry<String, Count> e : b.counts.entrySet()) {
            Count c = e.getValue();
            totals.computeIfAbsent(e.getKey(), k -> new java.util.EnumMap<>(Classification.class))
                    .computeIfAbsent(c.classification, k -> new long[1])[0] +=
                c.reads;
          }
          b.counts.clear();
          if (b.owner.get() == null) {
            it.remove(); // its thread is gone and its counts are taken
          }
        }
      }
      Instant from = windowStart.isAfter(until) ? until : windowStart;
      long total = 0;
      for (Map.Entry<String, Map<Classification, long[]>> e : totals.entrySet()) {
        for (Map.Entry<Classification, long[]> c : e.getValue().entrySet()) {
          long n = c.getValue()[0];
          total += n;
          sink.accept(AuditEvent.tally(from, until, app, e.getKey(), c.getKey(), n));
        }
      }
      windowStart = until;
      return total;
    }
  }
}
