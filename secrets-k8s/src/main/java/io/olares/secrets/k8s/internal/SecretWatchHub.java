package io.olares.secrets.k8s.internal;

import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.ChangeListener;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what this store has seen of each Secret it touched (resourceVersion and presence, never a
 * value) and, while anyone listens, one watch per namespace of those Secrets. A watch event, or a
 * difference found by a relist, for a Secret the store has seen is passed to the listeners as the
 * Secret's base reference ({@code k8s://<namespace>/<secret>}).
 *
 * <p>Thread-safe. Listeners are called from the watch threads.
 */
public final class SecretWatchHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretWatchHub.class);

  /**
   * What was seen of one Secret: its resourceVersion (null where unknown) and whether it exists.
   */
  record Seen(String resourceVersion, boolean present) {}

  /**
   * How watches behave.
   *
   * @param timeout the server-side timeout of one watch request
   * @param backoffInitial the first delay after a failed watch
   * @param backoffMax the longest delay between attempts
   * @param pageSize the page size of relists
   */
  public record Settings(
      Duration timeout, Duration backoffInitial, Duration backoffMax, int pageSize) {
    /** Validates. */
    public Settings {
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(backoffInitial, "backoffInitial");
      Objects.requireNonNull(backoffMax, "backoffMax");
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be positive");
      }
    }
  }

  private final String storeName;
  private final SecretsApi api;
  private final Settings settings;
  private final Map<String, Map<String, Seen>> seen = new ConcurrentHashMap<>();
  private final Map<String, NamespaceWatcher> watchers = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Creates a hub for the store named {@code storeName}. */
  public SecretWatchHub(String storeName, SecretsApi api, Settings settings) {
    this.storeName = Objects.requireNonNull(storeName, "storeName");
    this.api = Objects.requireNonNull(api, "api");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Records what a read, write or delete saw of a Secret; starts a watch of its namespace when
   * someone listens.
   *
   * @param resourceVersion the version seen; null where the Secret is absent and no version known
   * @param present whether the Secret exists
   */
  public void observed(String namespace, String secret, String resourceVersion, boolean present) {
    Map<String, Seen> names = seen.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    names.merge(
        secret,
        new Seen(resourceVersion, present),
        (old, now) -> isOlder(now.resourceVersion(), old.resourceVersion()) ? old : now);
    if (!listeners.isEmpty()) {
      ensureWatching(namespace);
    }
  }

  /**
   * Records a change this store made itself and tells the listeners at once: a watch that starts
   * after the change would not report it, and one that is running reports it later.
   */
  public void changedHere(
      String namespace, String secret, String resourceVersion, boolean present) {
    Map<String, Seen> names = seen.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    names.put(secret, new Seen(resourceVersion, present));
    if (!listeners.isEmpty()) {
      notifyChanged(namespace, secret);
      ensureWatching(namespace);
    }
  }

  /** Starts watching a namespace even before anything in it was read. */
  public void watchNamespace(String namespace) {
    seen.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    if (!listeners.isEmpty()) {
      ensureWatching(namespace);
    }
  }

  /** Adds a listener; closing the handle removes it, and the last one stops the watches. */
  public AutoCloseable subscribe(ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
    listeners.add(listener);
    for (String namespace : seen.keySet()) {
      ensureWatching(namespace);
    }
    return () -> {
      listeners.remove(listener);
      if (listeners.isEmpty()) {
        stopAll();
      }
    };
  }

  /** The namespaces watched right now. */
  public java.util.Set<String> watchedNamespaces() {
    return java.util.Set.copyOf(watchers.keySet());
  }

  @Override
  public void close() {
    closed = true;
    listeners.clear();
    stopAll();
  }

  private synchronized void ensureWatching(String namespace) {
    if (closed || listeners.isEmpty() || watchers.containsKey(namespace)) {
      return;
    }
    NamespaceWatcher watcher =
        new NamespaceWatcher(
            namespace,
            api,
            settings,
            new Backoff(
                settings.backoffInitial(),
                settings.backoffMax(),
                () -> ThreadLocalRandom.current().nextDouble()),
            this);
    watchers.put(namespace, watcher);
    watcher.start();
  }

  private synchronized void stopAll() {
    for (NamespaceWatcher w : watchers.values()) {
      w.stop();
    }
    watchers.clear();
  }

  /** Called by a watcher for each Secret event: notifies where it differs from what was seen. */
  void event(String namespace, String secret, String resourceVersion, boolean present) {
    Map<String, Seen> names = seen.get(namespace);
    if (names == null) {
      return;
    }
    Seen old = names.get(secret);
    if (old == null) {
      return;
    }
    if (old.present() == present && Objects.equals(old.resourceVersion(), resourceVersion)) {
      return;
    }
    if (old.present() == present && isOlder(resourceVersion, old.resourceVersion())) {
      return;
    }
    names.put(secret, new Seen(resourceVersion, present));
    notifyChanged(namespace, secret);
  }

  /**
   * Called after a relist with every Secret the list held: notifies each seen Secret whose version
   * or presence differs.
   */
  void relisted(String namespace, Map<String, String> versions, String listVersion) {
    Map<String, Seen> names = seen.get(namespace);
    if (names == null) {
      return;
    }
    for (Map.Entry<String, Seen> entry : names.entrySet()) {
      String rv = versions.get(entry.getKey());
      if (rv == null) {
        event(namespace, entry.getKey(), entry.getValue().present() ? listVersion : null, false);
      } else {
        event(namespace, entry.getKey(), rv, true);
      }
    }
  }

  private void notifyChanged(String namespace, String secret) {
    SecretRef ref = SecretRef.of(storeName, namespace, secret);
    LOG.debug("Secret {} changed", ref);
    for (ChangeListener l : listeners) {
      try {
        l.changed(ref);
      } catch (RuntimeException e) {
        LOG.warn("a change listener failed for {}: {}", ref, e.getClass().getName());
      }
    }
  }

  /** True where both versions are numbers and {@code a} is below {@code b}. */
  static boolean isOlder(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    try {
      return Long.parseLong(a) < Long.parseLong(b);
    } catch (NumberFormatException opaque) {
      return false;
    }
  }
}
