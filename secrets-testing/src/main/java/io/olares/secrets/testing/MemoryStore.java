package io.olares.secrets.testing;

import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ChangeListener;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SecretStore} that keeps secrets in memory, for tests, demos and as a baseline in
 * benchmarks. Values vanish when the store is closed.
 *
 * <p>A secret is identified by its reference without the version: {@code mem://app/db#user} and
 * {@code mem://app/db#password} are two secrets, so a memory store can stand in for stores whose
 * secrets have fields. Values are arbitrary bytes, copied on the way in and on the way out; the
 * store never shares an array with a caller. Every write adds a version ({@code 1}, {@code 2}, ...;
 * numbers are not reused after a delete), and {@code ?version=} reads an older one. The oldest
 * versions beyond {@link Builder#maxVersions(int)} are dropped. Values are overwritten with zeros
 * when dropped, deleted, or when the store is closed.
 *
 * <p>Every secret has the classification the store was configured with; for {@link
 * Classification#APPLICATION_CREDENTIAL} and {@link Classification#POD_SECRET} the owner is the
 * configured owner or, by default, the reference's container.
 *
 * <p>Thread-safe. Change listeners are called on the thread that made the change, after the change
 * is visible to readers; a listener that throws is logged and does not fail the change. Logs name
 * references and versions, never values.
 */
public final class MemoryStore implements SecretStore {
  /** The provider type of memory stores. */
  public static final String TYPE = "memory";

  /** How many versions of one secret are kept unless configured otherwise. */
  public static final int DEFAULT_MAX_VERSIONS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.READ,
              Capability.WRITE,
              Capability.DELETE,
              Capability.LIST,
              Capability.VERSIONS,
              Capability.BINARY,
              Capability.WATCH));

  private final String name;
  private final Classification classification;
  private final String owner;
  private final boolean ownerFromContainer;
  private final int maxVersions;
  private final Clock clock;

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<SecretRef, Entry> entries = new HashMap<>();
  private final Map<SecretRef, Long> lastVersions = new HashMap<>();
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;

  private MemoryStore(Builder b) {
    this.name = b.name;
    this.classification = b.classification;
    this.owner = b.owner;
    this.ownerFromContainer = b.ownerFromContainer;
    this.maxVersions = b.maxVersions;
    this.clock = b.clock;
  }

  /** A builder for a store named {@code name}: references to it start with {@code name://}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** An empty store of {@link Classification#CREDENTIAL}s on the system clock. */
  public static MemoryStore create(String name) {
    return builder(name).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  /** The classification every secret in this store has. */
  public Classification classification() {
    return classification;
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    checkStore(ref);
    return new ResourceInfo(classification, ownerOf(ref), null);
  }

  private String ownerOf(SecretRef ref) {
    if (classification != Classification.APPLICATION_CREDENTIAL
        && classification != Classification.POD_SECRET) {
      return null;
    }
    if (owner != null) {
      return owner;
    }
    return ownerFromContainer ? ref.container() : null;
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    Objects.requireNonNull(context, "context");
    SecretRef key = keyOf(ref);
    Long wanted = ref.version().map(v -> parseVersion(ref, v)).orElse(null);
    byte[] copy;
    SecretMetadata metadata;
    lock.readLock().lock();
    try {
      checkOpen();
      Entry entry = entries.get(key);
      Version version = entry == null ? null : entry.find(wanted);
      if (version == null) {
        return Optional.empty();
      }
      copy = version.bytes.clone();
      metadata =
          new SecretMetadata(
              Long.toString(version.number), entry.created, version.written, null, Map.of());
    } finally {
      lock.readLock().unlock();
    }
    return Optional.of(new Secret(ref, classification, SecretValue.adopt(copy), metadata));
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(context, "context");
    SecretRef key = keyOf(ref);
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "cannot write '" + ref + "': a write creates the next version, so name none");
    }
    long number = put(key, value.revealBytes());
    LOG.debug("memory store '{}': wrote {} version {}", name, key, number);
    notifyListeners(key);
  }

  /** Stores {@code bytes} (taking ownership) as the next version of {@code key}. */
  private long put(SecretRef key, byte[] bytes) {
    Instant now = clock.instant();
    List<Version> dropped = new ArrayList<>();
    lock.writeLock().lock();
    try {
      if (closed) {
        Arrays.fill(bytes, (byte) 0);
        throw closedError();
      }
      long number = lastVersions.merge(key, 1L, Long::sum);
      Entry entry = entries.computeIfAbsent(key, k -> new Entry(now));
      entry.versions.addLast(new Version(number, bytes, now));
      while (entry.versions.size() > maxVersions) {
        dropped.add(entry.versions.removeFirst());
      }
      return number;
    } finally {
      lock.writeLock().unlock();
      dropped.forEach(Version::wipe);
    }
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    Objects.requireNonNull(context, "context");
    SecretRef key = keyOf(ref);
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "cannot delete '" + ref + "': a delete removes every version, so name none");
    }
    Entry removed;
    lock.writeLock().lock();
    try {
      checkOpen();
      removed = entries.remove(key);
    } finally {
      lock.writeLock().unlock();
    }
    if (removed == null) {
      return false;
    }
    removed.wipe();
    LOG.debug("memory store '{}': deleted {}", name, key);
    notifyListeners(key);
    return true;
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    Objects.requireNonNull(context, "context");
    checkStore(prefix);
    SecretRef base = prefix.base();
    List<SecretInfo> found = new ArrayList<>();
    lock.readLock().lock();
    try {
      checkOpen();
      for (Map.Entry<SecretRef, Entry> e : entries.entrySet()) {
        if (base.covers(e.getKey())) {
          Entry entry = e.getValue();
          Version latest = entry.versions.getLast();
          found.add(
              new SecretInfo(
                  e.getKey(),
                  classification,
                  new SecretMetadata(
                      Long.toString(latest.number),
                      entry.created,
                      latest.written,
                      null,
                      Map.of())));
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    found.sort(Comparator.comparing(info -> info.ref().toString()));
    return List.copyOf(found);
  }

  /** The versions kept for {@code ref}, oldest first; empty where it does not exist. */
  public List<String> versions(SecretRef ref) {
    SecretRef key = keyOf(ref);
    lock.readLock().lock();
    try {
      checkOpen();
      Entry entry = entries.get(key);
      if (entry == null) {
        return List.of();
      }
      return entry.versions.stream().map(v -> Long.toString(v.number)).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The arrays held for {@code ref}, oldest version first, not copies: lets tests see wiping. */
  List<byte[]> heldArrays(SecretRef ref) {
    SecretRef key = keyOf(ref);
    lock.readLock().lock();
    try {
      Entry entry = entries.get(key);
      return entry == null ? List.of() : entry.versions.stream().map(v -> v.bytes).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The number of secrets held (each counted once, whatever its number of versions). */
  public int size() {
    lock.readLock().lock();
    try {
      return entries.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<AutoCloseable> watch(ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    lock.readLock().lock();
    try {
      checkOpen();
      listeners.add(listener);
    } finally {
      lock.readLock().unlock();
    }
    return Optional.of(() -> listeners.remove(listener));
  }

  private void notifyListeners(SecretRef key) {
    for (ChangeListener listener : listeners) {
      try {
        listener.changed(key);
      } catch (RuntimeException e) {
        LOG.warn(
            "memory store '{}': a change listener failed for {}: {}",
            name,
            key,
            e.getClass().getName());
      }
    }
  }

  /** Wipes every value and refuses further calls; idempotent. */
  @Override
  public void close() {
    List<Entry> wiped;
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wiped = new ArrayList<>(entries.values());
      entries.clear();
      lastVersions.clear();
      listeners.clear();
    } finally {
      lock.writeLock().unlock();
    }
    wiped.forEach(Entry::wipe);
    LOG.debug("memory store '{}' closed; {} secrets wiped", name, wiped.size());
  }

  @Override
  public String toString() {
    return "MemoryStore[" + name + ", " + classification + "]";
  }

  private SecretRef keyOf(SecretRef ref) {
    checkStore(ref);
    if (ref.path().isEmpty()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names a container, not a secret: add a path");
    }
    return ref.withVersion(null);
  }

  private void checkStore(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names store '" + ref.store() + "', not '" + name + "'");
    }
  }

  private static long parseVersion(SecretRef ref, String version) {
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' has version '"
              + version
              + "': memory store versions are 1, 2, ...");
    }
    return Long.parseLong(version);
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private StoreUnavailableException closedError() {
    return new StoreUnavailableException("memory store '" + name + "' is closed");
  }

  /** One secret: its versions, oldest first. Guarded by the store's lock. */
  private static final class Entry {
    final Instant created;
    final Deque<Version> versions = new ArrayDeque<>();

    Entry(Instant created) {
      this.created = created;
    }

    Version find(Long number) {
      if (number == null) {
        return versions.peekLast();
      }
      for (Iterator<Version> it = versions.descendingIterator(); it.hasNext(); ) {
        Version v = it.next();
        if (v.number == number) {
          return v;
        }
      }
      return null;
    }

    void wipe() {
      versions.forEach(Version::wipe);
      versions.clear();
    }
  }

  /** One stored version; {@code bytes} belongs to the store alone. */
  private static final class Version {
    final long number;
    final byte[] bytes;
    final Instant written;

    Version(long number, byte[] bytes, Instant written) {
      this.number = number;
      this.bytes = bytes;
      this.written = written;
    }

    void wipe() {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Options of a memory store. Not thread-safe; build once. */
  public static final class Builder {
    private final String name;
    private Classification classification = Classification.CREDENTIAL;
    private String owner;
    private boolean ownerFromContainer = true;
    private int maxVersions = DEFAULT_MAX_VERSIONS;
    private Clock clock = Clock.systemUTC();
    private final Map<SecretRef, byte[]> seed = new LinkedHashMap<>();

    private Builder(String name) {
      // validates the name by the reference grammar's rule for store names
      SecretRef.of(Objects.requireNonNull(name, "name"), "x", "x");
      this.name = name;
    }

    /** The classification of every secret in the store; {@link Classification#CREDENTIAL}. */
    public Builder classification(Classification value) {
      this.classification = Objects.requireNonNull(value, "classification");
      return this;
    }

    /**
     * A fixed owner for application credentials and pod secrets; by default the owner is the
     * reference's container. Ignored for other classifications.
     */
    public Builder owner(String value) {
      this.owner = Objects.requireNonNull(value, "owner");
      return this;
    }

    /**
     * Whether the container names the owner where no fixed owner is set; true by default. With
     * false, application credentials and pod secrets have no owner.
     */
    public Builder ownerFromContainer(boolean value) {
      this.ownerFromContainer = value;
      return this;
    }

    /** How many versions of each secret are kept, at least 1; {@value #DEFAULT_MAX_VERSIONS}. */
    public Builder maxVersions(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxVersions must be at least 1");
      }
      this.maxVersions = value;
      return this;
    }

    /** The clock that stamps versions; the system clock by default. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** A secret the store starts with, as version 1; the bytes are copied. */
    public Builder seed(SecretRef ref, byte[] value) {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(value, "value");
      if (!ref.store().equals(name)) {
        throw new InvalidReferenceException(
            "seed reference '" + ref + "' names store '" + ref.store() + "', not '" + name + "'");
      }
      if (ref.path().isEmpty() || ref.version().isPresent()) {
        throw new InvalidReferenceException(
            "seed reference '" + ref + "' must name a secret, without a version");
      }
      byte[] previous = seed.put(ref, value.clone());
      if (previous != null) {
        Arrays.fill(previous, (byte) 0);
      }
      return this;
    }

    /** A secret the store starts with, as version 1; the bytes are copied. */
    public Builder seed(SecretRef ref, SecretValue value) {
      byte[] bytes = Objects.requireNonNull(value, "value").revealBytes();
      try {
        return seed(ref, bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }

    /** The store; seeded secrets are moved into it and wiped from this builder. */
    public MemoryStore build() {
      MemoryStore store = new MemoryStore(this);
      for (Map.Entry<SecretRef, byte[]> e : seed.entrySet()) {
        store.put(e.getKey(), e.getValue());
      }
      seed.clear();
      LOG.debug(
          "memory store '{}' opened: {}, {} seeded secrets", name, classification, store.size());
      return store;
    }
  }
}
