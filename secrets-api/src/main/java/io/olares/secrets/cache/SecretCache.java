package io.olares.secrets.cache;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of secrets read from stores, keyed by reference text.
 *
 * <p>Behaviour, for each key:
 *
 * <ul>
 *   <li>A value is served for {@link CacheOptions#ttl()} after it was loaded, or until the expiry
 *       in its metadata if that comes first.
 *   <li>A read inside the last {@link CacheOptions#refreshAhead()} of that time returns the cached
 *       value at once and starts one background reload on the executor; readers never wait for it.
 *   <li>When a value is missing or expired, concurrent readers share one upstream load: the first
 *       reader loads, the others wait for its result. At most one load per key is in flight.
 *   <li>When a load fails with a transient error ({@link StoreUnavailableException}, or an
 *       unexpected runtime exception), the previous value is served for up to {@link
 *       CacheOptions#staleIfError()} past its expiry, while reloads are retried in the background
 *       with exponential backoff (1 s doubling to 1 min). After that bound the loader's error
 *       reaches the caller. Refusals and integrity failures are never masked: they drop the entry.
 *   <li>"Not found" is remembered for {@link CacheOptions#negativeTtl()}.
 *   <li>At most {@link CacheOptions#maxEntries()} keys are held; beyond that the least recently
 *       used are evicted. Evicted, replaced and invalidated values are wiped ({@link
 *       io.olares.secrets.SecretValue#close()}).
 * </ul>
 *
 * <p>The cache owns the secrets its loaders return and hands out independent copies, which the
 * caller closes. It never logs values; it logs keys (references) and error types. Thread-safe.
 * Values that need an approval per use must not be put through a cache: the facade reads them
 * directly.
 */
public final class SecretCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretCache.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);

  /** Reads one secret from upstream. */
  @FunctionalInterface
  public interface Loader {
    /**
     * Loads the secret; empty where it does not exist. The cache takes ownership of the returned
     * secret and wipes it when it is replaced, evicted or invalidated.
     */
    Optional<Secret> load();
  }

  /**
   * Counters since the cache was created.
   *
   * @param hits reads answered with a fresh cached value
   * @param negativeHits reads answered from the negative cache
   * @param misses reads that had to wait for a load
   * @param loads upstream calls made (foreground and background)
   * @param joinedLoads reads that waited for a load another reader had started
   * @param refreshes background reloads started
   * @param staleServed reads answered with an expired value because the store was failing
   * @param failures upstream calls that failed
   * @param evictions entries evicted for size
   */
  public record Stats(
      long hits,
      long negativeHits,
      long misses,
      long loads,
      long joinedLoads,
      long refreshes,
      long staleServed,
      long failures,
      long evictions) {}

  private final CacheOptions options;
  private final Clock clock;
  private final Executor executor;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong inserts = new AtomicLong();
  private final ReentrantLock evictionLock = new ReentrantLock();
  private volatile boolean closed;

  private final LongAdder hits = new LongAdder();
  private final LongAdder negativeHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder joinedLoads = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /**
   * Creates a cache.
   *
   * @param options the cache options; caching must be enabled
   * @param clock decides every expiry; tests pass a controllable one
   * @param executor runs background refreshes; it should not run tasks in the calling thread
   */
  public SecretCache(CacheOptions options, Clock clock, Executor executor) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    if (!options.enabled()) {
      throw new IllegalArgumentException("cache options disable caching (ttl or maxEntries is 0)");
    }
  }

  /**
   * Returns a copy of the cached secret for {@code key}, loading it with {@code loader} where
   * needed. The caller closes the returned secret.
   *
   * @return the secret, or empty where upstream says it does not exist
   * @throws RuntimeException whatever the loader threw, when no stale value may be served
   * @throws IllegalStateException after {@link #close()}
   */
  public Optional<Secret> get(String key, Loader loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    Slot known = slots.get(key);
    Secret fresh = known == null ? null : freshCopy(known);
    if (fresh != null) {
      return Optional.of(fresh);
    }
    while (true) {
      checkOpen();
      Slot slot = slotFor(key);
      Optional<Secret> served = null;
      Load load;
      boolean loadHere = false;
      synchronized (slot) {
        if (slot.removed) {
          continue;
        }
        Instant now = clock.instant();
        Entry entry = slot.entry;
        if (entry != null && now.isBefore(entry.expires)) {
          if (entry.secret == null) {
            negativeHits.increment();
            return Optional.empty();
          }
          hits.increment();
          served = Optional.of(entry.secret.copy());
          load = now.isBefore(entry.refreshFrom) ? null : startBackground(slot, now);
        } else if (entry != null
            && entry.secret != null
            && slot.failures > 0
            && now.isBefore(entry.staleUntil)) {
          staleServed.increment();
          served = Optional.of(entry.secret.copy());
          load = startBackground(slot, now);
        } else {
          misses.increment();
          if (slot.inflight == null) {
            slot.inflight = new Load();
            loadHere = true;
          } else {
            joinedLoads.increment();
          }
          load = slot.inflight;
          load.waiters++;
        }
      }
      if (served != null) {
        if (load != null) {
          submit(slot, load, loader);
        }
        return served;
      }
      if (loadHere) {
        run(slot, load, loader);
      }
      return await(key, slot, load);
    }
  }

  /**
   * Returns a copy of the secret for {@code key} if the cache holds one that is fresh and not yet
   * due for a refresh; null otherwise (not cached, "not found", expired, due for refresh, or
   * failing), and then the caller goes through {@link #get}, which handles all of those. Never
   * calls upstream and never starts a load. Counts as a hit when it returns a value and counts
   * nothing when it returns null. The caller closes the returned secret.
   *
   * <p>Takes no lock: it reads the slot's current entry and copies its value optimistically ({@link
   * Secret#tryCopy()}); where a writer replaced or wiped that value meanwhile, it returns null
   * rather than wait.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public Secret getIfFresh(String key) {
    checkOpen();
    Slot slot = slots.get(Objects.requireNonNull(key, "key"));
    return slot == null ? null : freshCopy(slot);
  }

  /** A copy of the slot's value where it is fresh and not due for refresh; null otherwise. */
  private Secret freshCopy(Slot slot) {
    Entry entry = slot.entry;
    if (entry == null || entry.secret == null || slot.removed) {
      return null;
    }
    if (!clock.instant().isBefore(entry.refreshFrom)) {
      return null;
    }
    Secret served = entry.secret.tryCopy();
    if (served == null) {
      return null;
    }
    hits.increment();
    slot.touch(readStamp());
    return served;
  }

  /** Forgets {@code key} and wipes its value. A load in flight for it will not be installed. */
  public void invalidate(String key) {
    Slot slot = slots.remove(Objects.requireNonNull(key, "key"));
    if (slot != null) {
      retire(slot);
    }
  }

  /** Forgets every key {@code keys} accepts, wiping the values. */
  public void invalidateIf(Predicate<String> keys) {
    Objects.requireNonNull(keys, "keys");
    for (Map.Entry<String, Slot> e : slots.entrySet()) {
      if (keys.test(e.getKey()) && slots.remove(e.getKey(), e.getValue())) {
        retire(e.getValue());
      }
    }
  }

  /** Forgets every key, wiping the values. */
  public void invalidateAll() {
    invalidateIf(k -> true);
  }

  /** The number of keys held, including negative entries and loads in progress. */
  public int size() {
    return slots.size();
  }

  /** The counters so far. */
  public Stats stats() {
    return new Stats(
        hits.sum(),
        negativeHits.sum(),
        misses.sum(),
        loads.sum(),
        joinedLoads.sum(),
        refreshes.sum(),
        staleServed.sum(),
        failures.sum(),
        evictions.sum());
  }

  /** Wipes every value; later reads throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    invalidateAll();
  }

  @Override
  public String toString() {
    return "SecretCache[" + slots.size() + " keys, " + options + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the secret cache is closed");
    }
  }

  /** The slot for {@code key}, stamped as read now; a new one (stamped as created) if none. */
  private Slot slotFor(String key) {
    Slot slot = slots.get(key);
    if (slot != null) {
      slot.touch(readStamp());
      return slot;
    }
    Slot fresh = new Slot(key, 2 * inserts.incrementAndGet());
    slot = slots.putIfAbsent(key, fresh);
    if (slot != null) {
      slot.touch(readStamp());
      return slot;
    }
    if (slots.size() > options.maxEntries()) {
      evictLeastRecentlyUsed(fresh);
    }
    return fresh;
  }

  /**
   * Registers a background reload unless one is in flight or a failed one is backing off; called
   * with the slot's monitor held. Returns null where none was started.
   */
  private Load startBackground(Slot slot, Instant now) {
    if (slot.inflight != null || (slot.retryAt != null && now.isBefore(slot.retryAt))) {
      return null;
    }
    Load load = new Load();
    slot.inflight = load;
    refreshes.increment();
    return load;
  }

  /** Hands a background reload to the executor, outside any monitor. */
  private void submit(Slot slot, Load load, Loader loader) {
    try {
      executor.execute(() -> run(slot, load, loader));
    } catch (RejectedExecutionException e) {
      LOG.warn("background refresh of {} skipped: the executor refused it", slot.key);
      synchronized (slot) {
        if (slot.inflight == load) {
          slot.inflight = null;
        }
        load.done = true;
        slot.notifyAll();
      }
    }
  }

  private void run(Slot slot, Load load, Loader loader) {
    Optional<Secret> result = null;
    Throwable error = null;
    loads.increment();
    try {
      result = Objects.requireNonNull(loader.load(), "the loader returned null");
    } catch (Throwable t) {
      error = t;
      failures.increment();
    }
    complete(slot, load, result, error);
  }

  private void complete(Slot slot, Load load, Optional<Secret> result, Throwable error) {
    synchronized (slot) {
      Instant now = clock.instant();
      boolean current = slot.inflight == load && !slot.removed && !closed;
      if (slot.inflight == load) {
        slot.inflight = null;
      }
      if (error == null) {
        Secret loaded = result.orElse(null);
        load.found = loaded != null;
        if (current) {
          install(slot, loaded, now);
          if (loaded != null && load.waiters > 0) {
            load.shared = loaded.copy();
          }
        } else if (loaded != null) {
          if (load.waiters > 0) {
            load.shared = loaded;
          } else {
            loaded.close();
          }
        }
      } else {
        Entry entry = current ? slot.entry : null;
        if (entry != null
            && entry.secret != null
            && isTransient(error)
            && now.isBefore(entry.staleUntil)) {
          slot.failures++;
          slot.retryAt = now.plus(backoff(slot.failures));
          LOG.warn(
              "reload of {} failed ({}); serving the cached value meanwhile, next try after {}",
              slot.key,
              describe(error),
              slot.retryAt);
          load.found = true;
          load.stale = !now.isBefore(entry.expires);
          if (load.waiters > 0) {
            load.shared = entry.secret.copy();
          }
        } else {
          load.error = error;
          if (current && entry != null) {
            if (entry.secret != null) {
              LOG.warn("dropping cached {}: reload failed with {}", slot.key, describe(error));
              entry.secret.close();
            }
            slot.entry = null;
            slot.failures = 0;
            slot.retryAt = null;
          }
        }
      }
      load.done = true;
      slot.notifyAll();
      if (current && slot.entry == null && slot.inflight == null && load.waiters == 0) {
        slot.removed = true;
        slots.remove(slot.key, slot);
      }
    }
  }

  private Optional<Secret> await(String key, Slot slot, Load load) {
    synchronized (slot) {
      try {
        while (!load.done) {
          try {
            slot.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while loading " + key, e);
          }
        }
        if (load.error != null) {
          throw rethrow(load.error);
        }
        if (!load.found) {
          return Optional.empty();
        }
        if (load.stale) {
          staleServed.increment();
        }
        return Optional.of(load.shared.copy());
      } finally {
        load.waiters--;
        if (load.waiters == 0 && load.done && load.shared != null) {
          load.shared.close();
          load.shared = null;
        }
        if (load.waiters == 0 && !slot.removed && slot.entry == null && slot.inflight == null) {
          slot.removed = true;
          slots.remove(slot.key, slot);
        }
      }
    }
  }

  /** Replaces the slot's entry with a fresh one; called with the slot's monitor held. */
  private void install(Slot slot, Secret loaded, Instant now) {
    Entry old = slot.entry;
    if (old != null && old.secret != null && old.secret != loaded) {
      old.secret.close();
    }
    slot.failures = 0;
    slot.retryAt = null;
    if (loaded == null) {
      slot.entry =
          options.negativeTtl().isZero()
              ? null
              : new Entry(null, now.plus(options.negativeTtl()), Instant.MAX, Instant.MIN);
      return;
    }
    Instant expires = now.plus(options.ttl());
    Instant staleUntil = expires.plus(options.staleIfError());
    Optional<Instant> own = loaded.metadata().expiresOpt();
    if (own.isPresent()) {
      expires = min(expires, own.get());
      staleUntil = min(staleUntil, own.get());
    }
    slot.entry = new Entry(loaded, expires, expires.minus(options.refreshAhead()), staleUntil);
  }

  private void retire(Slot slot) {
    synchronized (slot) {
      slot.removed = true;
      slot.inflight = null;
      if (slot.entry != null && slot.entry.secret != null) {
        slot.entry.secret.close();
      }
      slot.entry = null;
    }
  }

  private void evictLeastRecentlyUsed(Slot keep) {
    if (!evictionLock.tryLock()) {
      return;
    }
    try {
      int max = options.maxEntries();
      int excess = slots.size() - max;
      if (excess <= 0) {
        return;
      }
      int target = excess + max / 16;
      List<Map.Entry<String, Slot>> all = new ArrayList<>(slots.entrySet());
      all.sort(Comparator.comparingLong(e -> e.getValue().lastUsed()));
      int evicted = 0;
      for (Map.Entry<String, Slot> e : all) {
        if (evicted >= target) {
          break;
        }
        Slot slot = e.getValue();
        if (slot == keep) {
          continue;
        }
        synchronized (slot) {
          if (slot.inflight != null || slot.removed) {
            continue;
          }
        }
        if (slots.remove(e.getKey(), slot)) {
          retire(slot);
          evictions.increment();
          evicted++;
        }
      }
    } finally {
      evictionLock.unlock();
    }
  }

  /** True for failures that say nothing about the secret itself, so a stale copy may stand in. */
  private static boolean isTransient(Throwable error) {
    if (error instanceof StoreUnavailableException) {
      return true;
    }
    if (error instanceof AccessDeniedException
        || error instanceof IntegrityException
        || error instanceof SecretNotFoundException
        || error instanceof InvalidReferenceException
        || error instanceof ConfigurationException) {
      return false;
    }
    return error instanceof RuntimeException;
  }

  private static Duration backoff(int failures) {
    int shift = Math.min(failures - 1, 16);
    Duration d = FIRST_RETRY.multipliedBy(1L << shift);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Names an error for a log line; only this SDK's exceptions promise value-free messages. */
  private static String describe(Throwable error) {
    return error instanceof SecretsException
        ? error.getClass().getName() + ": " + error.getMessage()
        : error.getClass().getName();
  }

  private static RuntimeException rethrow(Throwable error) {
    if (error instanceof RuntimeException) {
      throw (RuntimeException) error;
    }
    if (error instanceof Error) {
      throw (Error) error;
    }
    return new SecretsException("loading failed: " + error.getClass().getName(), error);
  }

  /**
   * The recency stamp of a read now: later than every slot created so far, equal for all reads
   * between two creations. Slots are stamped {@code 2n} when the n-th is created and {@code 2n+1}
   * when read after that, so eviction picks the least recently used up to reads that fell between
   * the same two creations, which count as equally recent.
   */
  private long readStamp() {
    return 2 * inserts.get() + 1;
  }

  /**
   * The state of one key. Every field is written under the slot's monitor but {@code lastUsed};
   * {@code entry} and {@code removed} are volatile so that a hit can read them without it.
   *
   * <p>{@code lastUsed} is the slot's recency stamp (see {@link #readStamp()}). A read writes it
   * only where it changes, that is at most once between two slot creations: a field that every read
   * wrote would move its cache line from core to core whenever two threads read the same secrets,
   * which costs more than the whole hit; a shared use counter would do the same to its own line on
   * every read.
   */
  private static final class Slot {
    private static final VarHandle LAST_USED;

    static {
      try {
        LAST_USED = MethodHandles.lookup().findVarHandle(Slot.class, "lastUsed", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final String key;
    // written under the monitor; read without it by the lock-free hit path
    volatile Entry entry;
    volatile boolean removed;
    Load inflight;
    int failures;
    Instant retryAt;
    private long lastUsed;

    Slot(String key, long stamp) {
      this.key = key;
      this.lastUsed = stamp;
    }

    void touch(long stamp) {
      if ((long) LAST_USED.getOpaque(this) != stamp) {
        LAST_USED.setOpaque(this, stamp);
      }
    }

    long lastUsed() {
      return (long) LAST_USED.getOpaque(this);
    }
  }

  /**
   * A value (or "not found" where {@code secret} is null) and its deadlines.
   *
   * @param secret the cached secret, owned by the cache; null for a negative entry
   * @param expires served without asking upstream until then
   * @param refreshFrom a read from then on starts a background reload
   * @param staleUntil served while upstream fails until then
   */
  private record Entry(Secret secret, Instant expires, Instant refreshFrom, Instant staleUntil) {}

  /** One upstream call and what its waiters receive. Guarded by the slot's monitor. */
  private static final class Load {
    int waiters;
    boolean done;
    boolean found;
    boolean stale;
    Secret shared;
    Throwable error;
  }
}
