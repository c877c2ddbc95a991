package io.olares.secrets.k8s;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.SecretRejectedException.Cause;
import io.olares.secrets.k8s.internal.Backoff;
import io.olares.secrets.k8s.internal.Failures;
import io.olares.secrets.k8s.internal.KubeCallException;
import io.olares.secrets.k8s.internal.KubeJson;
import io.olares.secrets.k8s.internal.KubeJson.SecretPage;
import io.olares.secrets.k8s.internal.KubeNames;
import io.olares.secrets.k8s.internal.KubeRef;
import io.olares.secrets.k8s.internal.KubeSecret;
import io.olares.secrets.k8s.internal.SecretWatchHub;
import io.olares.secrets.k8s.internal.SecretsApi;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ChangeListener;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Secrets through the official client: store type {@code kubernetes}, references {@code
 * k8s://<namespace>/<secret>#<key>}. A reference without {@code #key} names the whole Secret: it
 * can be listed (its keys) and deleted, not read or written.
 *
 * <p><b>Values</b> are the exact bytes of the Secret's {@code data} (base64 only on the wire);
 * {@code stringData} is never written.
 *
 * <p><b>Writes</b> read the Secret, check it, then change one key with a JSON merge patch (RFC
 * 7386) that names only that key; a missing Secret is created (labelled with the app's name). The
 * server applies the patch to its latest state, so every other key, and any field this client
 * version does not know, stays exactly as the latest writer left it: two writers of different keys
 * never lose each other's changes and never conflict. The server validates the result again
 * (immutability, the 1 MiB total, key names), so the checks made here against the read state fail
 * fast but cannot be bypassed by a race. With {@link Builder#conditionalWrites(boolean)} the patch
 * also carries the {@code resourceVersion} that was read: the server then applies it only to that
 * version (optimistic concurrency) and the store re-reads and retries after 409 Conflict, a bounded
 * number of times. That suits callers that must know the change was made against the state they
 * checked; under contention it costs retries, since any change to the Secret, to any key, voids the
 * read version. A create that races another create (409 AlreadyExists) is retried as an update in
 * both modes.
 *
 * <p><b>Checks before sending</b>: namespace and Secret names (RFC 1123), key names ({@code
 * [-._a-zA-Z0-9]+}), the 1 MiB total, immutability. Server answers map to the SDK's exceptions: 401
 * and 403 (with the server's message) to {@link io.olares.secrets.AccessDeniedException}, 404 to
 * {@link SecretNotFoundException} or an empty result, 400 and 422 (with their causes) to {@link
 * SecretRejectedException} ({@link ImmutableSecretException} for immutable Secrets), 409 after the
 * retries, 410, 429 and 5xx to {@link StoreUnavailableException}.
 *
 * <p><b>Change notification</b>: while a listener is subscribed, one watch per namespace of the
 * Secrets this store has read reports their changes and removals; an expired watch (410) relists, a
 * dropped one reconnects with exponential backoff.
 *
 * <p>Thread-safe. Values are never logged; the client's own exceptions (whose messages repeat
 * response bodies) never leave this class.
 */
public final class KubernetesSecretStore implements SecretStore {
  /** The store type. */
  public static final String TYPE = "kubernetes";

  /** The label Olares puts on an app's resources; new Secrets get it with the app's name. */
  public static final String APP_LABEL = "applications.app.bytetrade.io/name";

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretStore.class);
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.READ,
              Capability.WRITE,
              Capability.DELETE,
              Capability.LIST,
              Capability.BINARY,
              Capability.WATCH));

  private final String name;
  private final String app;
  private final SecretsApi api;
  private final SecretWatchHub hub;
  private final int conflictRetries;
  private final boolean conditionalWrites;
  private final int transientRetries;
  private final boolean labelCreated;
  private final String listSelector;
  private final int pageSize;
  private final Runnable onClose;
  private volatile boolean closed;

  private KubernetesSecretStore(Builder b) {
    this.name = b.name;
    this.app = b.app;
    this.api = new SecretsApi(b.client, b.watchTimeout, Duration.ofSeconds(30));
    this.conflictRetries = b.conflictRetries;
    this.conditionalWrites = b.conditionalWrites;
    this.transientRetries = b.transientRetries;
    this.labelCreated = b.labelCreated;
    this.listSelector = b.listSelector;
    this.pageSize = b.pageSize;
    this.onClose = b.onClose;
    this.hub =
        new SecretWatchHub(
            name,
            api,
            new SecretWatchHub.Settings(
                b.watchTimeout, b.watchBackoffInitial, b.watchBackoffMax, b.pageSize));
    for (String ns : b.watchNamespaces) {
      KubeNames.checkNamespace(ns);
      hub.watchNamespace(ns);
    }
  }

  /** A builder over a configured client (kubeconfig, in-cluster, or a test server). */
  public static Builder builder(ApiClient client) {
    return new Builder(client);
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

  /** Pod secrets, owned by their namespace: policy lets an app reach its own namespace only. */
  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    KubeRef k = KubeRef.ofPrefix(checkStore(ref));
    return new ResourceInfo(Classification.POD_SECRET, k.namespace(), null);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    KubeRef k = KubeRef.of(checkUse(ref)).requireKey(ref);
    Optional<KubeSecret> found = readSecret(k, "read");
    if (found.isEmpty()) {
      hub.observed(k.namespace(), k.secret(), null, false);
      return Optional.empty();
    }
    KubeSecret secret = found.get();
    hub.observed(k.namespace(), k.secret(), secret.resourceVersion(), true);
    byte[] bytes = secret.data().get(k.key());
    SecretValue value = bytes == null ? null : SecretValue.ofBytes(bytes);
    secret.wipe();
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(new Secret(ref, Classification.POD_SECRET, value, metadata(secret)));
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    KubeRef k = KubeRef.of(checkUse(ref)).requireKey(ref);
    Objects.requireNonNull(value, "value");
    if (value.length() > KubeNames.MAX_SECRET_BYTES) {
      throw tooLarge(k, value.length());
    }
    byte[] bytes = value.revealBytes();
    try {
      Backoff backoff = retryBackoff();
      for (int attempt = 0; ; attempt++) {
        try {
          if (writeOnce(k, bytes)) {
            return;
          }
        } catch (KubeCallException e) {
          if (!retryable(e, attempt)) {
            throw writeFailure("write", k, e, attempt);
          }
          pause(backoff, e);
          continue;
        }
        if (attempt >= conflictRetries) {
          throw gaveUp("write", k, attempt + 1);
        }
        pause(backoff, null);
      }
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** One read-decide-send round; false where the Secret vanished and the round must repeat. */
  private boolean writeOnce(KubeRef k, byte[] bytes) throws KubeCallException {
    Optional<KubeSecret> found = api.read(k.namespace(), k.secret());
    if (found.isEmpty()) {
      try {
        KubeSecret created =
            api.create(
                k.namespace(),
                KubeJson.newSecret(k.namespace(), k.secret(), createLabels(), k.key(), bytes));
        remember(k, created);
        LOG.debug("created Secret {} with key {}", k.qualifiedSecret(), k.key());
        return true;
      } catch (KubeCallException e) {
        if (e.code() == 404) {
          throw new SecretNotFoundException(
              "could not create Secret " + k.qualifiedSecret() + ": " + e.serverMessage());
        }
        throw e;
      }
    }
    KubeSecret current = found.get();
    String rv = current.resourceVersion();
    try {
      if (current.immutable()) {
        throw new ImmutableSecretException(k.namespace(), k.secret(), 0, List.of());
      }
      byte[] old = current.data().get(k.key());
      long total = current.dataBytes() - (old == null ? 0 : old.length) + bytes.length;
      if (total > KubeNames.MAX_SECRET_BYTES) {
        throw tooLarge(k, total);
      }
    } finally {
      current.wipe();
    }
    try {
      KubeSecret patched =
          api.mergePatch(
              k.namespace(), k.secret(), KubeJson.keyPatch(precondition(rv), k.key(), bytes));
      remember(k, patched);
      LOG.debug("updated key {} of Secret {}", k.key(), k.qualifiedSecret());
      return true;
    } catch (KubeCallException e) {
      if (e.code() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    KubeRef k = KubeRef.of(checkUse(ref));
    if (k.key() == null) {
      return deleteSecret(k);
    }
    Backoff backoff = retryBackoff();
    for (int attempt = 0; ; attempt++) {
      try {
        Optional<KubeSecret> found = api.read(k.namespace(), k.secret());
        if (found.isEmpty()) {
          hub.observed(k.namespace(), k.secret(), null, false);
          return false;
        }
        KubeSecret current = found.get();
        String rv = current.resourceVersion();
        boolean has = current.data().containsKey(k.key());
        boolean immutable = current.immutable();
        current.wipe();
        if (!has) {
          return false;
        }
        if (immutable) {
          throw new ImmutableSecretException(k.namespace(), k.secret(), 0, List.of());
        }
        try {
          KubeSecret patched =
              api.mergePatch(
                  k.namespace(), k.secret(), KubeJson.keyPatch(precondition(rv), k.key(), null));
          remember(k, patched);
          LOG.debug("deleted key {} of Secret {}", k.key(), k.qualifiedSecret());
          return true;
        } catch (KubeCallException e) {
          if (e.code() != 404) {
            throw e;
          }
        }
      } catch (KubeCallException e) {
        if (!retryable(e, attempt)) {
          throw writeFailure("delete a key of", k, e, attempt);
        }
        pause(backoff, e);
        continue;
      }
      if (attempt >= conflictRetries) {
        throw gaveUp("delete a key of", k, attempt + 1);
      }
    }
  }

  private boolean deleteSecret(KubeRef k) {
    Backoff backoff = retryBackoff();
    for (int attempt = 0; ; attempt++) {
      try {
        boolean existed = api.delete(k.namespace(), k.secret());
        if (existed) {
          hub.changedHere(k.namespace(), k.secret(), null, false);
        } else {
          hub.observed(k.namespace(), k.secret(), null, false);
        }
        LOG.debug("deleted Secret {} (existed: {})", k.qualifiedSecret(), existed);
        return existed;
      } catch (KubeCallException e) {
        if (!(e.isTransient() && attempt < transientRetries)) {
          throw Failures.toSdk("delete", k.namespace(), k.secret(), api.basePath(), e);
        }
        pause(backoff, e);
      }
    }
  }

  /**
   * Lists keys without values: {@code k8s://<ns>} gives every key of every Secret in the namespace
   * (those matching the configured label selector), {@code k8s://<ns>/<secret>} the keys of one
   * Secret, {@code k8s://<ns>/<secret>#<key>} that key where it exists.
   */
  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    KubeRef k = KubeRef.ofPrefix(checkUse(prefix));
    List<SecretInfo> out = new ArrayList<>();
    if (k.secret() != null) {
      Optional<KubeSecret> found = readSecret(k, "list the keys of");
      found.ifPresent(s -> addKeys(prefix.store(), s, k.key(), out));
      return out;
    }
    Backoff backoff = retryBackoff();
    int restarts = 0;
    String token = null;
    while (true) {
      SecretPage page;
      try {
        page = api.list(k.namespace(), listSelector, token, pageSize);
      } catch (KubeCallException e) {
        if (e.code() == 410 && token != null && restarts++ < 3) {
          out.clear();
          token = null;
          continue;
        }
        if (e.isTransient() && restarts++ < transientRetries) {
          pause(backoff, e);
          continue;
        }
        throw Failures.toSdk("list", k.namespace(), null, api.basePath(), e);
      }
      for (KubeSecret s : page.items()) {
        addKeys(prefix.store(), s, null, out);
      }
      token = page.continueToken();
      if (token == null) {
        return out;
      }
    }
  }

  private void addKeys(String store, KubeSecret s, String onlyKey, List<SecretInfo> out) {
    SecretMetadata md = metadata(s);
    for (String key : new TreeMap<>(s.data()).keySet()) {
      if (onlyKey == null || onlyKey.equals(key)) {
        SecretRef ref = SecretRef.of(store, s.namespace(), List.of(s.name()), null, key);
        out.add(new SecretInfo(ref, Classification.POD_SECRET, md));
      }
    }
    s.wipe();
  }

  @Override
  public Optional<AutoCloseable> watch(ChangeListener listener) {
    return Optional.of(hub.subscribe(listener));
  }

  /** The namespaces watched right now (for diagnostics). */
  public Set<String> watchedNamespaces() {
    return hub.watchedNamespaces();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hub.close();
    onClose.run();
  }

  @Override
  public String toString() {
    return "KubernetesSecretStore[" + name + ", " + api.basePath() + "]";
  }

  // ---------------------------------------------------------------------------------------------

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
      throw new StoreUnavailableException("kubernetes store '" + name + "' is closed");
    }
    return ref;
  }

  private Optional<KubeSecret> readSecret(KubeRef k, String action) {
    Backoff backoff = retryBackoff();
    for (int attempt = 0; ; attempt++) {
      try {
        return api.read(k.namespace(), k.secret());
      } catch (KubeCallException e) {
        if (!(e.isTransient() && attempt < transientRetries)) {
          throw Failures.toSdk(action, k.namespace(), k.secret(), api.basePath(), e);
        }
        pause(backoff, e);
      }
    }
  }

  private boolean retryable(KubeCallException e, int attempt) {
    if (e.conflict() || e.alreadyExists()) {
      return attempt < conflictRetries;
    }
    return e.isTransient() && attempt < Math.max(transientRetries, 0);
  }

  private SecretsException writeFailure(
      String action, KubeRef k, KubeCallException e, int attempt) {
    if (e.conflict() || e.alreadyExists()) {
      return gaveUp(action, k, attempt + 1);
    }
    return Failures.toSdk(action, k.namespace(), k.secret(), api.basePath(), e);
  }

  private StoreUnavailableException gaveUp(String action, KubeRef k, int attempts) {
    return new StoreUnavailableException(
        "could not "
            + action
            + " Secret "
            + k.qualifiedSecret()
            + ": other writers changed it during each of "
            + attempts
            + " attempts (409 Conflict); try again");
  }

  private Backoff retryBackoff() {
    return new Backoff(
        Duration.ofMillis(5),
        Duration.ofMillis(500),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  private static void pause(Backoff backoff, KubeCallException e) {
    Duration delay = backoff.next();
    if (e != null && e.retryAfterSeconds() > 0) {
      delay = Duration.ofSeconds(Math.min(e.retryAfterSeconds(), 10));
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to retry a Secret call");
    }
  }

  private void remember(KubeRef k, KubeSecret answer) {
    answer.wipe();
    hub.changedHere(k.namespace(), k.secret(), answer.resourceVersion(), true);
  }

  private Map<String, String> createLabels() {
    if (labelCreated && app != null && app.length() <= 63 && LABEL_VALUE.matcher(app).matches()) {
      return Map.of(APP_LABEL, app);
    }
    return Map.of();
  }

  private String precondition(String resourceVersion) {
    return conditionalWrites ? resourceVersion : null;
  }

  private static SecretRejectedException tooLarge(KubeRef k, long total) {
    return new SecretRejectedException(
        "Secret "
            + k.qualifiedSecret()
            + " would hold "
            + total
            + " bytes of data; Kubernetes allows at most "
            + KubeNames.MAX_SECRET_BYTES
            + " (1 MiB) per Secret",
        0,
        "TooLarge",
        List.of(
            new Cause(
                "data",
                "FieldValueTooLong",
                "Too long: may not be more than " + KubeNames.MAX_SECRET_BYTES + " bytes")));
  }

  private static SecretMetadata metadata(KubeSecret s) {
    return new SecretMetadata(s.resourceVersion(), s.created(), null, null, s.labels());
  }

  /** Options of a {@link KubernetesSecretStore}; every one has a default. */
  public static final class Builder {
    private final ApiClient client;
    private String name = "k8s";
    private String app;
    private int conflictRetries = 10;
    private boolean conditionalWrites;
    private int transientRetries = 3;
    private boolean labelCreated = true;
    private String listSelector;
    private int pageSize = 250;
    private Duration watchTimeout = Duration.ofMinutes(5);
    private Duration watchBackoffInitial = Duration.ofSeconds(1);
    private Duration watchBackoffMax = Duration.ofSeconds(30);
    private List<String> watchNamespaces = List.of();
    private Runnable onClose = () -> {};

    private Builder(ApiClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** The store's instance name, used as {@code <store>} in references (default {@code k8s}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The calling app; Secrets this store creates carry it in the label {@link
     * KubernetesSecretStore#APP_LABEL}.
     */
    public Builder app(String app) {
      this.app = app;
      return this;
    }

    /** How often a write re-reads and retries after 409 Conflict (default 10). */
    public Builder conflictRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("conflictRetries must not be negative");
      }
      this.conflictRetries = retries;
      return this;
    }

    /**
     * Whether writes carry the resourceVersion they read, so that the server applies them only to
     * that version (default false: a key-only merge patch, which never loses another key's change
     * either).
     */
    public Builder conditionalWrites(boolean conditional) {
      this.conditionalWrites = conditional;
      return this;
    }

    /** How often a call is retried after no answer, 429 or 5xx (default 3). */
    public Builder transientRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("transientRetries must not be negative");
      }
      this.transientRetries = retries;
      return this;
    }

    /** Whether created Secrets get the app label (default true). */
    public Builder labelCreated(boolean label) {
      this.labelCreated = label;
      return this;
    }

    /** A label selector that limits namespace listings, e.g. {@code app=x} (default none). */
    public Builder listSelector(String selector) {
      this.listSelector = selector;
      return this;
    }

    /** The page size of listings (default 250). */
    public Builder pageSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("pageSize must be positive");
      }
      this.pageSize = size;
      return this;
    }

    /** The server-side timeout of one watch request (default 5 minutes). */
    public Builder watchTimeout(Duration timeout) {
      if (timeout.toSeconds() < 1) {
        throw new IllegalArgumentException("watchTimeout must be at least one second");
      }
      this.watchTimeout = timeout;
      return this;
    }

    /** The first and the longest delay before reconnecting a failed watch (1 s and 30 s). */
    public Builder watchBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("watch backoff needs 0 <= initial <= max");
      }
      this.watchBackoffInitial = initial;
      this.watchBackoffMax = max;
      return this;
    }

    /** Namespaces to watch as soon as a listener subscribes, before anything is read there. */
    public Builder watchNamespaces(Collection<String> namespaces) {
      this.watchNamespaces = List.copyOf(namespaces);
      return this;
    }

    /** Run on {@link #close()}, after the watches stop (the provider releases its client here). */
    public Builder onClose(Runnable action) {
      this.onClose = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Builds the store; nothing is sent yet. */
    public KubernetesSecretStore build() {
      return new KubernetesSecretStore(this);
    }
  }
}
