package io.olares.secrets.k8s;

import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.internal.MountedFile;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ChangeListener;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's own view of its Secrets (store type {@code pod}): what Kubernetes injected, read-only.
 *
 * <ul>
 *   <li>{@code pod://env/<NAME>}: an environment variable, as {@code valueFrom.secretKeyRef} or
 *       {@code envFrom.secretRef} set it (fixed for the life of the process).
 *   <li>{@code pod://file/<mount-path>/<key>}: a file of a mounted Secret volume, e.g. {@code
 *       pod://file/etc/secrets/db/password} for key {@code password} of a volume mounted at {@code
 *       /etc/secrets/db}. Reads follow the kubelet's atomic {@code ..data} symlink swap and never
 *       return a half-written value (see {@link MountedFile}). Listing a mount path gives its keys.
 * </ul>
 *
 * <p>While a listener is subscribed, every file read through this store is checked each {@code
 * pollInterval}; one poll after the kubelet swaps in a new version, the file's reference is
 * reported as changed. Environment variables never change.
 *
 * <p>Secrets here belong to the pod's own namespace, which {@link #describe} reports as owner.
 * Optional {@code roots} confine file references to directories below them. Thread-safe.
 */
public final class PodSecretStore implements SecretStore {
  /** The store type. */
  public static final String TYPE = "pod";

  private static final Logger LOG = LoggerFactory.getLogger(PodSecretStore.class);
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(EnumSet.of(Capability.READ, Capability.LIST, Capability.BINARY, Capability.WATCH));

  private final String name;
  private final String namespace;
  private final Function<String, String> environment;
  private final Duration pollInterval;
  private final List<Path> roots;
  private final Map<SecretRef, String> seen = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService poller;
  private volatile boolean closed;

  private PodSecretStore(Builder b) {
    this.name = b.name;
    this.namespace = b.namespace;
    this.environment = b.environment;
    this.pollInterval = b.pollInterval;
    this.roots = b.roots;
  }

  /** A builder; the environment defaults to the process's. */
  public static Builder builder() {
    return new Builder();
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

  /** Pod secrets owned by the pod's own namespace (null where it is unknown). */
  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    kind(checkStore(ref));
    return new ResourceInfo(Classification.POD_SECRET, namespace, null);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    if (kind(checkUse(ref)).equals("env")) {
      String variable = envName(ref);
      String value = environment.apply(variable);
      if (value == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Secret(ref, Classification.POD_SECRET, SecretValue.ofString(value), null));
    }
    Path file = filePath(ref, true);
    Optional<MountedFile.Content> content = MountedFile.read(file);
    seen.put(ref.base(), content.map(MountedFile.Content::fingerprint).orElse(""));
    if (content.isEmpty()) {
      return Optional.empty();
    }
    MountedFile.Content c = content.get();
    SecretMetadata meta = new SecretMetadata(c.version(), null, c.modified(), null, Map.of());
    return Optional.of(
        new Secret(ref, Classification.POD_SECRET, SecretValue.adopt(c.bytes()), meta));
  }

  /** Always refused: Kubernetes, not the pod, writes these values. */
  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    throw new UnsupportedOperationException(
        "pod stores are read-only: Kubernetes injects " + ref + "; change the Secret instead");
  }

  /** Always refused: Kubernetes, not the pod, writes these values. */
  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    throw new UnsupportedOperationException(
        "pod stores are read-only: Kubernetes injects " + ref + "; change the Secret instead");
  }

  /** Lists the keys of a mounted volume ({@code pod://file/<mount-path>}). */
  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    if (kind(checkUse(prefix)).equals("env")) {
      throw new InvalidReferenceException(
          "environment variables cannot be listed; name one: " + prefix.store() + "://env/<NAME>");
    }
    Path dir = filePath(prefix, false);
    List<SecretInfo> out = new ArrayList<>();
    for (String key : MountedFile.keys(dir)) {
      List<String> path = new ArrayList<>(prefix.path());
      path.add(key);
      out.add(
          new SecretInfo(
              SecretRef.of(prefix.store(), "file", path, null, null),
              Classification.POD_SECRET,
              null));
    }
    return out;
  }

  @Override
  public synchronized Optional<AutoCloseable> watch(ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new StoreUnavailableException("pod store '" + name + "' is closed");
    }
    listeners.add(listener);
    if (poller == null) {
      poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "olares-secrets-pod-poll-" + name);
                t.setDaemon(true);
                return t;
              });
      long ms = pollInterval.toMillis();
      poller.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }
    return Optional.of(() -> unsubscribe(listener));
  }

  private synchronized void unsubscribe(ChangeListener listener) {
    listeners.remove(listener);
    if (listeners.isEmpty() && poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  /**
   * One poll: every file read so far whose version differs from what its last read saw is reported
   * once. Runs on the poll thread; package-visible so tests can drive it step by step.
   */
  void pollNow() {
    for (Map.Entry<SecretRef, String> entry : seen.entrySet()) {
      SecretRef ref = entry.getKey();
      String now = MountedFile.currentFingerprint(filePath(ref, true)).orElse("");
      if (!now.equals(entry.getValue()) && seen.replace(ref, entry.getValue(), now)) {
        LOG.debug("mounted file {} changed", ref);
        for (ChangeListener l : listeners) {
          try {
            l.changed(ref);
          } catch (RuntimeException e) {
            LOG.warn("a change listener failed for {}: {}", ref, e.getClass().getName());
          }
        }
      }
    }
  }

  private void pollSafely() {
    try {
      pollNow();
    } catch (RuntimeException e) {
      LOG.warn("polling mounted Secret files failed: {}", e.getClass().getName());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    listeners.clear();
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  @Override
  public String toString() {
    return "PodSecretStore[" + name + "]";
  }

  private SecretRef checkStore(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names store '" + ref.store() + "', not '" + name + "'");
    }
    return ref;
  }

  private SecretRef checkUse(SecretRef ref) {
    checkStore(ref);
    if (closed) {
      throw new StoreUnavailableException("pod store '" + name + "' is closed");
    }
    return ref;
  }

  private static String kind(SecretRef ref) {
    String kind = ref.container();
    if (!kind.equals("env") && !kind.equals("file")) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "': a pod reference starts with "
              + ref.store()
              + "://env/<NAME> or "
              + ref.store()
              + "://file/<mount-path>/<key>");
    }
    if (ref.version().isPresent() || ref.field().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "': pod references take no '?version=' and no '#field'");
    }
    return kind;
  }

  private static String envName(SecretRef ref) {
    if (ref.path().size() != 1) {
      throw new InvalidReferenceException(
          "reference '" + ref + "': expected " + ref.store() + "://env/<NAME>");
    }
    String variable = ref.path().get(0);
    if (variable.indexOf('=') >= 0) {
      throw new InvalidReferenceException(
          "reference '" + ref + "': an environment variable name has no '='");
    }
    return variable;
  }

  private Path filePath(SecretRef ref, boolean file) {
    int min = file ? 2 : 1;
    if (ref.path().size() < min) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "': expected "
              + ref.store()
              + (file ? "://file/<mount-path>/<key>" : "://file/<mount-path>"));
    }
    Path p = Path.of("/", ref.path().toArray(String[]::new)).normalize();
    if (!roots.isEmpty() && roots.stream().noneMatch(p::startsWith)) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' lies outside the configured roots " + roots);
    }
    return p;
  }

  /** Options of a {@link PodSecretStore}. */
  public static final class Builder {
    private String name = "pod";
    private String namespace;
    private Function<String, String> environment = System::getenv;
    private Duration pollInterval = Duration.ofSeconds(10);
    private List<Path> roots = List.of();

    private Builder() {}

    /** The instance name used as {@code <store>} in references (default {@code pod}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The pod's namespace, reported as the owner of its secrets. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Where environment variables come from (default: the process environment). */
    public Builder environment(Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** How often watched files are checked for a new version (default 10 seconds). */
    public Builder pollInterval(Duration interval) {
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("pollInterval must be at least 1 ms");
      }
      this.pollInterval = interval;
      return this;
    }

    /** Confines file references to these absolute directories (default: no restriction). */
    public Builder roots(Collection<Path> roots) {
      List<Path> copy = new ArrayList<>();
      for (Path r : roots) {
        if (!r.isAbsolute()) {
          throw new IllegalArgumentException("roots must be absolute paths: " + r);
        }
        copy.add(r.normalize());
      }
      this.roots = List.copyOf(copy);
      return this;
    }

    /** Builds the store. */
    public PodSecretStore build() {
      return new PodSecretStore(this);
    }
  }
}
