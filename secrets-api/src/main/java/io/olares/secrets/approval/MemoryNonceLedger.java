package io.olares.secrets.approval;

import io.olares.secrets.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link NonceLedger} in memory: it forgets each nonce once its {@code forgetAfter} has passed
 * and holds at most a fixed number of live nonces. It never forgets a live nonce to make room: when
 * full, {@link #markUsed} fails with a retryable {@link StoreUnavailableException} instead, since a
 * forgotten nonce could be replayed. Verifiers mark a nonce only after the signature and every
 * other check held, so filling the ledger takes that many genuine approvals.
 *
 * <p>Used nonces do not survive a restart; a store that must refuse replays across restarts keeps a
 * durable ledger. Thread-safe.
 */
public final class MemoryNonceLedger implements NonceLedger {
  /** The default bound on live nonces. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Entry(String nonce, Instant forgetAfter) {}

  private final Clock clock;
  private final int maxEntries;
  private final Map<String, Instant> live = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> a.forgetAfter().compareTo(b.forgetAfter()));

  /** A ledger on the system clock holding up to {@link #DEFAULT_MAX_ENTRIES} nonces. */
  public MemoryNonceLedger() {
    this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
  }

  /**
   * A ledger on {@code clock} holding up to {@code maxEntries} live nonces.
   *
   * @throws IllegalArgumentException where {@code maxEntries} is not positive
   */
  public MemoryNonceLedger(Clock clock, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, not " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException where the ledger holds {@code maxEntries} live nonces
   */
  @Override
  public synchronized boolean markUsed(String nonce, Instant forgetAfter) {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(forgetAfter, "forgetAfter");
    forgetExpired(clock.instant());
    if (live.containsKey(nonce)) {
      return false;
    }
    if (live.size() >= maxEntries) {
      throw new StoreUnavailableException(
          "the approval nonce ledger holds its maximum of "
              + maxEntries
              + " unexpired nonces; retry once some expire");
    }
    live.put(nonce, forgetAfter);
    byExpiry.add(new Entry(nonce, forgetAfter));
    return true;
  }

  /** How many nonces are remembered now, expired ones dropped first. */
  public synchronized int size() {
    forgetExpired(clock.instant());
    return live.size();
  }

  private void forgetExpired(Instant now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().forgetAfter().isBefore(now)) {
      Entry e = byExpiry.poll();
      live.remove(e.nonce(), e.forgetAfter());
    }
  }

  @Override
  public String toString() {
    return "MemoryNonceLedger[max=" + maxEntries + "]";
  }
}
