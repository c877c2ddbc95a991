package io.olares.secrets.internal;

import io.olares.secrets.Classification;
import io.olares.secrets.audit.AuditEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts the reads a facade serves from its cache, per secret, so that the audit trail gets one
 * event per secret and window (a {@linkplain AuditEvent#tally tally}) instead of one per read.
 *
 * <p>{@link #count} is cheap and never blocks: a map lookup by the reference text and an increment
 * of a {@link LongAdder}. {@link #drain} turns every non-zero counter into a tally covering the
 * time since the previous drain and resets it with {@link LongAdder#sumThenReset()}, which takes
 * each cell's count atomically, so a read counted while a drain runs is reported by that drain or
 * the next, never lost and never twice. Counters are kept for the tally's life (a counter that
 * could be removed while a reader holds it could lose that reader's count); past {@code maxKeys}
 * distinct secrets {@link #count} refuses, and the caller records that read as an event of its own.
 * Thread-safe; {@link #drain} is meant for one thread at a time.
 */
public final class ReadTally {
  private final String app;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Object draining = new Object();
  private Instant windowStart;

  private static final class Counter {
    final String reference;
    final Classification classification;
    final LongAdder reads = new LongAdder();

    Counter(String reference, Classification classification) {
      this.reference = reference;
      this.classification = classification;
    }
  }

  /**
   * A tally for {@code app}'s reads.
   *
   * @param app the calling app, named in every tally
   * @param maxKeys how many distinct secrets may be counted
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

  /**
   * Counts one allowed, successful, cache-served read of {@code reference}.
   *
   * @return false where the read was not counted (too many distinct secrets, or the secret's
   *     classification differs from the one counted so far): the caller records it itself
   */
  public boolean count(String reference, Classification classification) {
    Counter c = counters.get(reference);
    if (c == null) {
      if (counters.size() >= maxKeys) {
        return false;
      }
      c = counters.computeIfAbsent(reference, r -> new Counter(r, classification));
    }
    if (c.classification != classification) {
      return false;
    }
    c.reads.increment();
    return true;
  }

  /**
   * Hands one tally per secret read since the previous drain to {@code sink}, covering the time
   * from the previous drain (or the start) to {@code until}.
   *
   * @return how many reads the tallies stand for
   */
  public long drain(Instant until, Consumer<AuditEvent> sink) {
    synchronized (draining) {
      Instant from = windowStart.isAfter(until) ? until : windowStart;
      long total = 0;
      for (Counter c : counters.values()) {
        long n = c.reads.sumThenReset();
        if (n > 0) {
          total += n;
          sink.accept(AuditEvent.tally(from, until, app, c.reference, c.classification, n));
        }
      }
      windowStart = until;
      return total;
    }
  }

  /** How many distinct secrets have counters. */
  public int keys() {
    return counters.size();
  }
}
