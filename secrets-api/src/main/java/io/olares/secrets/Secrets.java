package io.olares.secrets;

import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.ApprovalVerifier;
import io.olares.secrets.approval.Approver;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.approval.JwsApprovalVerifier;
import io.olares.secrets.approval.MemoryNonceLedger;
import io.olares.secrets.audit.AsyncAuditSink;
import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.audit.AuditSink;
import io.olares.secrets.audit.JsonLinesAuditSink;
import io.olares.secrets.audit.Slf4jAuditSink;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.cache.SecretCache;
import io.olares.secrets.config.ApprovalSettings;
import io.olares.secrets.config.AuditSettings;
import io.olares.secrets.config.SecretsConfig;
import io.olares.secrets.internal.ReadTally;
import io.olares.secrets.internal.StoreRegistry;
import io.olares.secrets.policy.AccessRequest;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Policy;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.spi.StoreProviders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object an app holds to use secrets: it resolves a reference to its store, asks the
 * policy, obtains an approval where the policy requires one, reads through the cache, and records
 * an audit event for every access.
 *
 * <p>Every call follows the same path:
 *
 * <ol>
 *   <li>the reference's {@code <store>} selects a configured store (an unknown name is a {@link
 *       ConfigurationException});
 *   <li>the store classifies the reference without reading it ({@link SecretStore#describe});
 *   <li>the policy decides. On <b>deny</b> an {@link AccessDeniedException} is thrown and the store
 *       is never called. On <b>approval required</b> the caller's approval is used, or else the
 *       configured {@link Approver} is asked, or else an {@link ApprovalRequiredException} carrying
 *       the challenge is thrown. Stores with {@link Capability#APPROVAL} verify approvals
 *       themselves; for other stores this facade verifies them with the configured {@link
 *       ApprovalVerifier}, and without one such an access is denied;
 *   <li>on allow, reads go through the cache (when enabled); reads that needed an approval, and
 *       secrets whose classification needs one per use, never touch the cache;
 *   <li>an {@link AuditEvent} records the access, its decision, outcome and duration, whatever
 *       happened.
 * </ol>
 *
 * <p>Callers own what they get: every {@link Secret} returned is an independent copy that the
 * caller should close. Writes and deletes invalidate the cache, and so do change notifications from
 * stores that can {@link SecretStore#watch watch}.
 *
 * <p>No value ever reaches a log line, an exception message or a {@code toString()} from here.
 * Thread-safe. Closing it closes the stores (including ones passed to the builder), the cache
 * (wiping it) and the audit sinks.
 */
public final class Secrets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
  private static final AtomicInteger REFRESH_THREADS = new AtomicInteger();
  private static final AtomicInteger TALLY_THREADS = new AtomicInteger();

  /** How many distinct secrets one thread may tally in a window; past it, one event per read. */
  static final int MAX_TALLIED_SECRETS = 65_536;

  /** The domain written into locally signed approvals when the configuration names none. */
  public static final String DEFAULT_APPROVAL_DOMAIN = "olares-secrets";

  private final String app;
  private final String user;
  private final Map<String, SecretStore> stores;
  private final Policy policy;
  private final Approver approver;
  private final ApprovalVerifier verifier;
  private final SecretCache cache;
  private final List<AuditSink> audit;
  private final Clock clock;
  private final List<AutoCloseable> watches;
  private final ExecutorService ownedExecutor;
  private final ReadTally tally;
  private final ScheduledExecutorService tallyTimer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Secrets(Assembly a) {
    this.app = a.app;
    this.user = a.user;
    this.stores = Collections.unmodifiableMap(a.stores);
    this.policy = a.policy;
    this.approver = a.approver;
    this.verifier = a.verifier;
    this.cache = a.cache;
    this.audit = List.copyOf(a.audit);
    this.clock = a.clock;
    this.ownedExecutor = a.ownedExecutor;
    if (cache != null && !a.tallyWindow.isZero()) {
      this.tally = new ReadTally(app, MAX_TALLIED_SECRETS, clock.instant());
      this.tallyTimer = tallyTimer(a.tallyWindow);
    } else {
      this.tally = null;
      this.tallyTimer = null;
    }
    this.watches = subscribe();
  }

  private ScheduledExecutorService tallyTimer(Duration window) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t =
                  new Thread(r, "olares-secrets-audit-tally-" + TALLY_THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    long nanos = window.toNanos();
    timer.scheduleAtFixedRate(this::drainTally, nanos, nanos, TimeUnit.NANOSECONDS);
    return timer;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An instance configured by a YAML file.
   *
   * @throws ConfigurationException where the file or a store configuration is invalid
   */
  public static Secrets fromConfig(Path file) {
    return builder().config(SecretsConfig.load(file)).build();
  }

  /**
   * An instance configured by the file {@value SecretsConfig#ENV_VAR} names.
   *
   * @throws ConfigurationException where the variable is unset or the configuration invalid
   */
  public static Secrets fromEnvironment() {
    return builder().config(SecretsConfig.fromEnvironment()).build();
  }

  /** The store providers found on the module and class path, and the ones skipped. */
  public static StoreProviders discoverProviders() {
    return StoreProviders.discover();
  }

  // ---------------------------------------------------------------- reads

  /**
   * Reads a secret.
   *
   * @throws InvalidReferenceException where {@code ref} does not parse
   * @throws SecretNotFoundException where it does not exist
   * @throws AccessDeniedException where the policy or the store refuses
   * @throws ApprovalRequiredException where an approval is needed and no approver is configured
   */
  public Secret get(String ref) {
    return get(SecretRef.parse(ref), null);
  }

  /** Reads a secret; see {@link #get(String)}. */
  public Secret get(SecretRef ref) {
    return get(ref, null);
  }

  /** Reads a secret with the user's approval for this very use; see {@link #get(String)}. */
  public Secret get(String ref, Approval approval) {
    return get(SecretRef.parse(ref), approval);
  }

  /** Reads a secret with the user's approval for this very use; see {@link #get(String)}. */
  public Secret get(SecretRef ref, Approval approval) {
    if (tally != null && approval == null) {
      Secret hit = fromCacheTallied(Objects.requireNonNull(ref, "ref"));
      if (hit != null) {
        return hit;
      }
    }
    return find(ref, approval)
        .orElseThrow(() -> new SecretNotFoundException("secret " + ref + " does not exist"));
  }

  /** Reads a secret; empty where it does not exist. Otherwise as {@link #get(String)}. */
  public Optional<Secret> find(String ref) {
    return find(SecretRef.parse(ref), null);
  }

  /** Reads a secret; empty where it does not exist. Otherwise as {@link #get(String)}. */
  public Optional<Secret> find(SecretRef ref) {
    return find(ref, null);
  }

  /** Reads a secret with an approval; empty where it does not exist. */
  public Optional<Secret> find(SecretRef ref, Approval approval) {
    Objects.requireNonNull(ref, "ref");
    try {
      return findOrThrow(ref, approval);
    } catch (SecretNotFoundException e) {
      // A store may learn that an item is missing before reading it (for example when it
      // issues the approval request for it); to a caller of find that is still "empty".
      return Optional.empty();
    }
  }

  private Optional<Secret> findOrThrow(SecretRef ref, Approval approval) {
    if (tally != null && approval == null) {
      Secret hit = fromCacheTallied(ref);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    Optional<Secret> found = readAudited(ref, approval);
    if (closed.get()) {
      // close() may have closed the audit sinks before this read's event reached them: a read
      // that cannot be sure it is in the trail hands out nothing (see fromCacheTallied).
      found.ifPresent(Secret::close);
      throw new IllegalStateException("this Secrets instance is closed");
    }
    return found;
  }

  private Optional<Secret> readAudited(SecretRef ref, Approval approval) {
    return access(
        Operation.READ,
        ref,
        approval,
        (store, context, info, gated) -> {
          boolean cacheable = cache != null && !gated && !info.classification().approvalPerUse();
          Optional<Secret> found =
              cacheable
                  ? cache.get(ref.toString(), () -> store.read(ref, context))
                  : store.read(ref, context);
          return Objects.requireNonNull(found, "store returned null");
        },
        found -> found.isPresent() ? "ok" : "not_found");
  }

  /**
   * The read path for a value the cache holds fresh: the store classifies the reference and the
   * policy decides, as on every read; where it allows, the cached copy is returned and the read is
   * counted in the audit tally instead of being recorded alone. Null where anything else applies
   * (not cached, denied, approval needed, an error): the full path then runs and records the access
   * as an event of its own.
   */
  private Secret fromCacheTallied(SecretRef ref) {
    checkOpen();
    SecretStore store = stores.get(ref.store());
    if (store == null) {
      return null;
    }
    ResourceInfo info;
    try {
      info = store.describe(ref, app, Operation.READ);
      if (info.classification().approvalPerUse()
          || decide(store, ref, Operation.READ, info).verdict() != Decision.Verdict.ALLOW) {
        return null;
      }
    } catch (RuntimeException e) {
      return null; // the full path runs the same steps again and records what fails
    }
    String key = ref.toString();
    Secret hit = cache.getIfFresh(key);
    if (hit == null) {
      return null;
    }
    if (!tally.count(key, info.classification())) {
      record(
          clock.instant(),
          Operation.READ,
          ref,
          info.classification(),
          "allow",
          "ok",
          Duration.ZERO);
    }
    // Counted first, checked second: close() marks the facade closed before its last drain, so
    // a read that still sees it open here was counted before that drain, and a read that sees it
    // closed hands out nothing (it may be in the trail as a read that then failed).
    if (closed.get()) {
      hit.close();
      throw new IllegalStateException("this Secrets instance is closed");
    }
    return hit;
  }

  /**
   * Lists the secrets at or below a prefix (for example {@code vault://personal}), without values.
   */
  public List<SecretInfo> list(String prefix) {
    return list(SecretRef.parsePrefix(prefix));
  }

  /** Lists the secrets at or below a prefix, without values. */
  public List<SecretInfo> list(SecretRef prefix) {
    return list(prefix, null);
  }

  /** Lists the secrets at or below a prefix with an approval, without values. */
  public List<SecretInfo> list(SecretRef prefix, Approval approval) {
    Objects.requireNonNull(prefix, "prefix");
    return access(
        Operation.LIST,
        prefix,
        approval,
        (store, context, info, gated) -> {
          requireCapability(store, Capability.LIST, "list");
          List<SecretInfo> out = new ArrayList<>();
          for (SecretInfo entry : store.list(prefix, context)) {
            if (prefix.covers(entry.ref())) {
              out.add(entry);
            }
          }
          return List.copyOf(out);
        },
        r -> "ok");
  }

  // ---------------------------------------------------------------- writes

  /** Creates or replaces a secret. The caller keeps ownership of {@code value}. */
  public void put(String ref, SecretValue value) {
    put(SecretRef.parse(ref), value, null);
  }

  /** Creates or replaces a secret. The caller keeps ownership of {@code value}. */
  public void put(SecretRef ref, SecretValue value) {
    put(ref, value, null);
  }

  /** Creates or replaces a secret with an approval. The caller keeps ownership of the value. */
  public void put(SecretRef ref, SecretValue value, Approval approval) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(value, "value");
    access(
        Operation.WRITE,
        ref,
        approval,
        (store, context, info, gated) -> {
          requireCapability(store, Capability.WRITE, "write");
          try {
            store.write(ref, value, context);
          } finally {
            invalidate(ref);
          }
          return Boolean.TRUE;
        },
        r -> "ok");
  }

  /** Deletes a secret; false where there was nothing to delete. */
  public boolean delete(String ref) {
    return delete(SecretRef.parse(ref), null);
  }

  /** Deletes a secret; false where there was nothing to delete. */
  public boolean delete(SecretRef ref) {
    return delete(ref, null);
  }

  /** Deletes a secret with an approval; false where there was nothing to delete. */
  public boolean delete(SecretRef ref, Approval approval) {
    Objects.requireNonNull(ref, "ref");
    return access(
        Operation.DELETE,
        ref,
        approval,
        (store, context, info, gated) -> {
          requireCapability(store, Capability.DELETE, "delete");
          try {
            return store.delete(ref, context);
          } finally {
            invalidate(ref);
          }
        },
        deleted -> deleted ? "ok" : "not_found");
  }

  /**
   * Signs {@code message} with a private key kept in a store that can sign (a vault's private-key
   * item), so the key never leaves the store.
   *
   * @param approval the user's approval for this use; null to ask the configured approver
   * @return the signature
   */
  public byte[] sign(SecretRef ref, byte[] message, Approval approval) {
    Objects.requireNonNull(ref, "ref");
    byte[] data = Objects.requireNonNull(message, "message").clone();
    byte[] signature =
        access(
            Operation.SIGN,
            ref,
            approval,
            (store, context, info, gated) -> {
              requireCapability(store, Capability.SIGN, "sign");
              return store.sign(ref, data, context);
            },
            r -> "ok");
    if (closed.get()) {
      // as for reads: a signature whose audit event may have missed the closing sinks is dropped
      if (signature != null) {
        java.util.Arrays.fill(signature, (byte) 0);
      }
      throw new IllegalStateException("this Secrets instance is closed");
    }
    return signature;
  }

  // ---------------------------------------------------------------- approvals and inspection

  /**
   * The request whose challenge the user must sign before {@code operation} on {@code ref}: issued
   * by the store where it handles approvals itself, else by this facade. Nothing is read, and
   * nothing is audited.
   */
  public ApprovalRequest requestApproval(SecretRef ref, Operation operation) {
    Objects.requireNonNull(operation, "operation");
    checkOpen();
    return requestFor(storeFor(Objects.requireNonNull(ref, "ref")), ref, operation);
  }

  /**
   * What the policy would decide for {@code operation} on {@code ref}, without touching the secret
   * and without an audit event.
   */
  public Decision check(SecretRef ref, Operation operation) {
    Objects.requireNonNull(operation, "operation");
    checkOpen();
    SecretStore store = storeFor(Objects.requireNonNull(ref, "ref"));
    return decide(store, ref, operation, store.describe(ref, app, operation));
  }

  /** How the store classifies {@code ref}, without reading it. */
  public ResourceInfo describe(SecretRef ref) {
    checkOpen();
    return storeFor(Objects.requireNonNull(ref, "ref")).describe(ref, app);
  }

  /** The calling app's name. */
  public String app() {
    return app;
  }

  /** The Olares user, if configured. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The configured stores: instance name to store type, in configuration order. */
  public Map<String, String> stores() {
    Map<String, String> out = new LinkedHashMap<>();
    stores.forEach((name, store) -> out.put(name, store.type()));
    return Collections.unmodifiableMap(out);
  }

  /** The cache's counters, where caching is on. */
  public Optional<SecretCache.Stats> cacheStats() {
    return cache == null ? Optional.empty() : Optional.of(cache.stats());
  }

  /**
   * Writes the audit tally of cache-served reads now (rather than at the end of its window) and
   * flushes every audit sink that buffers, so that the trail holds every access made before this
   * call.
   */
  public void flushAudit() {
    checkOpen();
    drainTally();
    for (AuditSink sink : audit) {
      if (sink instanceof java.io.Flushable) {
        try {
          ((java.io.Flushable) sink).flush();
        } catch (java.io.IOException | RuntimeException e) {
          LOG.error("audit sink {} failed to flush: {}", sink, e.getClass().getName());
        }
      }
    }
  }

  /** Drops every cached value (wiping it). */
  public void invalidateCache() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  /** Closes watches, the cache, the stores and the audit sinks; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable w : watches) {
      closeQuietly(w, "a store watch");
    }
    if (tallyTimer != null) {
      tallyTimer.shutdownNow();
      try {
        tallyTimer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      drainTally();
    }
    if (cache != null) {
      cache.close();
    }
    for (SecretStore store : stores.values()) {
      closeQuietly(store, "store '" + store.name() + "'");
    }
    for (AuditSink sink : audit) {
      closeQuietly(sink, "audit sink " + sink);
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    LOG.debug("olares-secrets for app '{}' closed", app);
  }

  @Override
  public String toString() {
    return "Secrets[app=" + app + ", stores=" + stores() + ", cache=" + (cache != null) + "]";
  }

  // ---------------------------------------------------------------- the access path

  /** One store call, made once policy (and any approval) allowed it. */
  @FunctionalInterface
  private interface StoreCall<T> {
    T run(SecretStore store, AccessContext context, ResourceInfo info, boolean approvalGated);
  }

  private <T> T access(
      Operation op,
      SecretRef ref,
      Approval given,
      StoreCall<T> call,
      Function<? super T, String> outcomeOf) {
    checkOpen();
    Instant time = clock.instant();
    long start = System.nanoTime();
    Classification classification = null;
    String decision = "none";
    String outcome = "error";
    try {
      SecretStore store = storeFor(ref);
      ResourceInfo info = store.describe(ref, app, op);
      classification = info.classification();
      Decision d = decide(store, ref, op, info);
      decision = d.verdict().name().toLowerCase(Locale.ROOT);
      if (d.verdict() == Decision.Verdict.DENY) {
        // A reason that already names the reference stands alone; others get the context.
        throw new AccessDeniedException(
            d.reason().contains(ref.base().toString())
                ? "access denied: " + d.reason()
                : "app '" + app + "' may not " + op.wireName() + " " + ref + ": " + d.reason());
      }
      boolean gated = d.verdict() == Decision.Verdict.APPROVAL_REQUIRED;
      Approval approval = gated ? approve(store, ref, op, given, d) : given;
      AccessContext context = new AccessContext(app, op, approval);
      T result = callStore(store, ref, op, () -> call.run(store, context, info, gated));
      outcome = outcomeOf.apply(result);
      return result;
    } catch (RuntimeException | Error e) {
      outcome = outcomeOf(e);
      throw e;
    } finally {
      record(
          time,
          op,
          ref,
          classification,
          decision,
          outcome,
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Decision decide(SecretStore store, SecretRef ref, Operation op, ResourceInfo info) {
    Decision d = policy.decide(new AccessRequest(app, op, ref, store.type(), info));
    if (d == null) {
      throw new ConfigurationException("the policy " + policy + " returned no decision");
    }
    return d;
  }

  private static <T> T callStore(
      SecretStore store, SecretRef ref, Operation op, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (SecretsException e) {
      throw e;
    } catch (UnsupportedOperationException e) {
      throw new ConfigurationException(
          "store '" + store.name() + "' (" + store.type() + ") cannot " + op.wireName() + ": " + e,
          e);
    } catch (RuntimeException e) {
      throw new SecretsException(
          "store '"
              + store.name()
              + "' ("
              + store.type()
              + ") failed to "
              + op.wireName()
              + " "
              + ref
              + ": "
              + e.getClass().getName(),
          e);
    }
  }

  private Approval approve(
      SecretStore store, SecretRef ref, Operation op, Approval given, Decision d) {
    boolean storeVerifies = store.capabilities().contains(Capability.APPROVAL);
    if (!storeVerifies && verifier == null) {
      throw new AccessDeniedException(
          op.wireName()
              + " of "
              + ref
              + " needs the user's approval ("
              + d.reason()
              + "), but store '"
              + store.name()
              + "' does not verify approvals itself and no approval verifier is configured");
    }
    Approval approval = given;
    if (approval == null) {
      ApprovalRequest request = requestFor(store, ref, op);
      if (approver == null) {
        throw new ApprovalRequiredException(
            "app '"
                + app
                + "' needs the user's approval to "
                + op.wireName()
                + " "
                + ref
                + " ("
                + d.reason()
                + ")",
            request);
      }
      approval = approver.approve(request);
      if (approval == null) {
        throw new AccessDeniedException("the approver gave no approval for " + ref);
      }
    }
    if (!storeVerifies) {
      ApprovalRequest presented = approval.request();
      verifier.verify(
          approval,
          new ApprovalRequest(
              store.name(),
              ref.base().toString(),
              op,
              app,
              presented.nonce(),
              presented.issuedAt()));
    }
    return approval;
  }

  private ApprovalRequest requestFor(SecretStore store, SecretRef ref, Operation op) {
    if (store.capabilities().contains(Capability.APPROVAL)) {
      return store.approvalRequest(ref, op, app);
    }
    return ApprovalRequest.create(store.name(), ref.base().toString(), op, app, clock.instant());
  }

  private SecretStore storeFor(SecretRef ref) {
    SecretStore store = stores.get(ref.store());
    if (store == null) {
      throw new ConfigurationException(
          "no store named '"
              + ref.store()
              + "' is configured for "
              + ref
              + "; configured stores: "
              + (stores.isEmpty() ? "none" : String.join(", ", stores.keySet())));
    }
    return store;
  }

  private static void requireCapability(SecretStore store, Capability capability, String verb) {
    if (!store.capabilities().contains(capability)) {
      throw new ConfigurationException(
          "store '" + store.name() + "' (" + store.type() + ") cannot " + verb);
    }
  }

  private static String outcomeOf(Throwable e) {
    if (e instanceof ApprovalRequiredException) {
      return "approval_required";
    }
    if (e instanceof AccessDeniedException) {
      return "denied";
    }
    if (e instanceof SecretNotFoundException) {
      return "not_found";
    }
    return "error:" + e.getClass().getSimpleName();
  }

  /** Hands the reads counted since the last drain to the audit sinks as tallies. */
  private void drainTally() {
    if (tally == null) {
      return;
    }
    try {
      tally.drain(clock.instant(), this::emit);
    } catch (RuntimeException e) {
      LOG.error("the audit tally could not be drained: {}", e.getClass().getName());
    }
  }

  private void record(
      Instant time,
      Operation op,
      SecretRef ref,
      Classification classification,
      String decision,
      String outcome,
      Duration duration) {
    AuditEvent event =
        new AuditEvent(time, app, op, ref.toString(), classification, decision, outcome, duration);
    emit(event);
  }

  private void emit(AuditEvent event) {
    for (AuditSink sink : audit) {
      try {
        sink.record(event);
      } catch (RuntimeException e) {
        LOG.error("audit sink {} failed: {}", sink, e.getClass().getName());
      }
    }
  }

  /** Drops cached entries of the secret at {@code ref} and anything below it. */
  private void invalidate(SecretRef ref) {
    if (cache == null) {
      return;
    }
    String base = ref.base().toString();
    cache.invalidateIf(
        key ->
            key.equals(base)
                || (key.startsWith(base) && "/?#".indexOf(key.charAt(base.length())) >= 0));
  }

  private List<AutoCloseable> subscribe() {
    if (cache == null) {
      return List.of();
    }
    List<AutoCloseable> handles = new ArrayList<>();
    for (SecretStore store : stores.values()) {
      try {
        store
            .watch(
                changed -> {
                  LOG.debug("store '{}' reports a change at {}", store.name(), changed);
                  invalidate(changed);
                })
            .ifPresent(handles::add);
      } catch (RuntimeException e) {
        LOG.warn(
            "store '{}' cannot be watched ({}); cached values expire by TTL only",
            store.name(),
            e.toString());
      }
    }
    return List.copyOf(handles);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Secrets instance is closed");
    }
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", what, e.toString());
    }
  }

  // ---------------------------------------------------------------- building

  /** What {@link Builder#build()} assembled. */
  private static final class Assembly {
    String app;
    String user;
    Map<String, SecretStore> stores = new LinkedHashMap<>();
    Policy policy;
    Approver approver;
    ApprovalVerifier verifier;
    SecretCache cache;
    List<AuditSink> audit = new ArrayList<>();
    Clock clock;
    ExecutorService ownedExecutor;
    Duration tallyWindow;
  }

  /**
   * Builds a {@link Secrets}. Values set here win over those of a {@link #config(SecretsConfig)
   * configuration}. Not thread-safe.
   */
  public static final class Builder {
    private SecretsConfig config;
    private String app;
    private String user;
    private Path home;
    private final List<SecretStore> stores = new ArrayList<>();
    private final List<SecretStoreProvider> providers = new ArrayList<>();
    private final List<StoreConfig> storeConfigs = new ArrayList<>();
    private Policy policy;
    private Approver approver;
    private ApprovalVerifier approvalVerifier;
    private CacheOptions cache;
    private final List<AuditSink> audit = new ArrayList<>();
    private Clock clock;
    private Function<String, String> environment;
    private Executor executor;
    private Duration tallyWindow;
    private boolean discovery = true;

    private Builder() {}

    /** Takes app, user, stores, policy, approval, cache and audit settings from {@code config}. */
    public Builder config(SecretsConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The calling app's name, used by policy and audit. Required (here or in the config). */
    public Builder app(String name) {
      this.app = Objects.requireNonNull(name, "app");
      return this;
    }

    /** The Olares user the app runs for. */
    public Builder user(String name) {
      this.user = name;
      return this;
    }

    /** Where stores keep local files by default ({@code ~/.olares-secrets} otherwise). */
    public Builder home(Path dir) {
      this.home = Objects.requireNonNull(dir, "home");
      return this;
    }

    /** Adds an already open store, routed to by its {@link SecretStore#name()}. */
    public Builder store(SecretStore store) {
      stores.add(Objects.requireNonNull(store, "store"));
      return this;
    }

    /** Registers a provider explicitly; it wins over any discovered provider of its type. */
    public Builder provider(SecretStoreProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Adds a store to open with the provider of its type. */
    public Builder storeConfig(StoreConfig storeConfig) {
      storeConfigs.add(Objects.requireNonNull(storeConfig, "storeConfig"));
      return this;
    }

    /** Whether to look for providers with {@link java.util.ServiceLoader}; on by default. */
    public Builder discovery(boolean enabled) {
      this.discovery = enabled;
      return this;
    }

    /**
     * The policy. Without one, a {@link DefaultPolicy} is built from the configuration's {@code
     * policy:} section (or the built-in rules alone) for this app and user.
     */
    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Who signs approval requests when the policy requires an approval. */
    public Builder approver(Approver approver) {
      this.approver = Objects.requireNonNull(approver, "approver");
      return this;
    }

    /** Verifies approvals for stores that do not verify them themselves. */
    public Builder approvalVerifier(ApprovalVerifier verifier) {
      this.approvalVerifier = Objects.requireNonNull(verifier, "approvalVerifier");
      return this;
    }

    /** Cache options; {@link CacheOptions#DISABLED} turns caching off. */
    public Builder cache(CacheOptions options) {
      this.cache = Objects.requireNonNull(options, "cache");
      return this;
    }

    /** Adds an audit sink. Without any, events are logged through SLF4J. */
    public Builder audit(AuditSink sink) {
      audit.add(Objects.requireNonNull(sink, "audit"));
      return this;
    }

    /**
     * How long the audit tally of cache-served reads runs before it is written: reads of one secret
     * that the cache serves, allowed and successful, within one window become one audit event with
     * their count. {@link Duration#ZERO} records every read as an event of its own. Default: the
     * configuration's {@code audit.tally}, else {@link AuditSettings#DEFAULT_TALLY}.
     */
    public Builder auditTally(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.compareTo(AuditSettings.MAX_TALLY) > 0) {
        throw new IllegalArgumentException("the audit tally window must be between 0 and 1 day");
      }
      this.tallyWindow = window;
      return this;
    }

    /** The clock for cache expiry, approvals and audit times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Looks up environment variables for stores (null for unset); {@link System#getenv}. */
    public Builder environment(Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Runs background cache refreshes; a small daemon pool otherwise. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Opens the configured stores and assembles the facade.
     *
     * @throws ConfigurationException naming what is missing or wrong; nothing stays open
     */
    public Secrets build() {
      Assembly a = new Assembly();
      List<AutoCloseable> opened = new ArrayList<>();
      try {
        assemble(a, opened);
        Secrets secrets = new Secrets(a);
        LOG.info(
            "olares-secrets ready for app '{}' with stores {}, cache {}",
            a.app,
            secrets.stores(),
            a.cache == null ? "off" : "on");
        return secrets;
      } catch (RuntimeException | Error e) {
        for (int i = opened.size() - 1; i >= 0; i--) {
          closeQuietly(opened.get(i), "a partly built Secrets component");
        }
        if (a.ownedExecutor != null) {
          a.ownedExecutor.shutdownNow();
        }
        throw e;
      }
    }

    private void assemble(Assembly a, List<AutoCloseable> opened) {
      Optional<SecretsConfig> cfg = Optional.ofNullable(config);
      a.app = app != null ? app : cfg.flatMap(SecretsConfig::app).orElse(null);
      if (a.app == null || a.app.isBlank()) {
        throw new ConfigurationException(
            "no app name: set 'app' in the configuration or call Secrets.builder().app(...)");
      }
      a.user = user != null ? user : cfg.flatMap(SecretsConfig::user).orElse(null);
      a.clock = clock != null ? clock : Clock.systemUTC();
      Path dir =
          home != null
              ? home
              : cfg.flatMap(SecretsConfig::home)
                  .orElse(Path.of(System.getProperty("user.home"), ".olares-secrets"));

      a.policy = policy != null ? policy : policyFrom(cfg, a);
      ApprovalSettings approval =
          cfg.map(SecretsConfig::approval).orElse(ApprovalSettings.DEFAULTS);
      DeviceKey key = approver == null || approvalVerifier == null ? deviceKeyFrom(approval) : null;
      a.approver = approver != null ? approver : approverFrom(approval, key, a);
      a.verifier = approvalVerifier != null ? approvalVerifier : verifierFrom(approval, key, a);

      // Audit first, so that nothing is opened when the audit file is unusable.
      for (AuditSink sink : audit) {
        a.audit.add(sink);
        opened.add(sink);
      }
      AuditSettings auditSettings = cfg.map(SecretsConfig::audit).orElse(null);
      if (auditSettings != null) {
        if (auditSettings.file() != null) {
          AuditSink file = openAuditFile(auditSettings);
          a.audit.add(file);
          opened.add(file);
        }
        if (auditSettings.log()) {
          a.audit.add(new Slf4jAuditSink());
        }
      }
      if (a.audit.isEmpty()) {
        a.audit.add(new Slf4jAuditSink());
      }
      a.tallyWindow =
          tallyWindow != null
              ? tallyWindow
              : auditSettings != null ? auditSettings.tally() : AuditSettings.DEFAULT_TALLY;

      for (SecretStore store : stores) {
        opened.add(store);
        addStore(a, store.name(), store);
      }
      List<StoreConfig> toOpen = new ArrayList<>();
      cfg.ifPresent(c -> toOpen.addAll(c.stores().values()));
      toOpen.addAll(storeConfigs);
      if (!toOpen.isEmpty()) {
        StoreRegistry registry =
            discovery ? StoreRegistry.discover(providers) : StoreRegistry.explicitOnly(providers);
        StoreContext context =
            new StoreContext(
                a.app, a.user, a.clock, environment != null ? environment : System::getenv, dir);
        for (StoreConfig sc : toOpen) {
          if (a.stores.containsKey(sc.name())) {
            throw new ConfigurationException("store '" + sc.name() + "' is configured twice");
          }
          SecretStoreProvider provider = registry.provider(sc.type());
          SecretStore store = provider.open(sc, context);
          if (store == null) {
            throw new ConfigurationException(
                provider.getClass().getName() + " opened no store for '" + sc.name() + "'");
          }
          opened.add(store);
          if (!sc.name().equals(store.name())) {
            throw new ConfigurationException(
                provider.getClass().getName()
                    + " opened store '"
                    + sc.name()
                    + "' under the name '"
                    + store.name()
                    + "'");
          }
          LOG.info(
              "opened store '{}' of type {} with {}",
              sc.name(),
              sc.type(),
              provider.getClass().getName());
          addStore(a, sc.name(), store);
        }
      }

      CacheOptions options =
          cache != null ? cache : cfg.map(SecretsConfig::cache).orElse(CacheOptions.DEFAULTS);
      if (options.enabled()) {
        Executor refresh = executor;
        if (refresh == null) {
          a.ownedExecutor = refreshPool();
          refresh = a.ownedExecutor;
        }
        a.cache = new SecretCache(options, a.clock, refresh);
      }
    }

    private static void addStore(Assembly a, String name, SecretStore store) {
      if (a.stores.putIfAbsent(name, store) != null) {
        throw new ConfigurationException("two stores are named '" + name + "'");
      }
    }

    private static AuditSink openAuditFile(AuditSettings settings) {
      try {
        if (settings.durability() == JsonLinesAuditSink.Durability.SYNC_EACH_EVENT) {
          return JsonLinesAuditSink.open(settings.file(), settings.durability());
        }
        return new AsyncAuditSink(
            JsonLinesAuditSink.open(settings.file(), settings.durability()),
            settings.queueCapacity());
      } catch (java.io.UncheckedIOException e) {
        throw new ConfigurationException(
            "audit.file " + settings.file() + " cannot be opened: " + e.getCause(), e);
      }
    }

    /**
     * The default policy over the configuration's {@code policy:} section (or the built-in rules
     * alone), for the app and user being built.
     */
    private static Policy policyFrom(Optional<SecretsConfig> cfg, Assembly a) {
      PolicyConfig pc = cfg.map(SecretsConfig::policyConfig).orElse(PolicyConfig.empty());
      if (pc.app().isEmpty()) {
        pc = pc.withApp(a.app);
      }
      if (a.user != null && pc.user().isEmpty()) {
        pc = pc.withUser(a.user);
      }
      return new DefaultPolicy(pc);
    }

    private static DeviceKey deviceKeyFrom(ApprovalSettings settings) {
      return settings.deviceKey() == null ? null : DeviceKey.load(settings.deviceKey());
    }

    private static Approver approverFrom(ApprovalSettings settings, DeviceKey key, Assembly a) {
      if (key == null) {
        return null;
      }
      String name = settings.name() != null ? settings.name() : a.user != null ? a.user : a.app;
      String domain = settings.domain() != null ? settings.domain() : DEFAULT_APPROVAL_DOMAIN;
      LOG.info("approvals will be signed locally by device key {}", key.did());
      return new DeviceKeyApprover(key, name, domain, a.clock);
    }

    private static ApprovalVerifier verifierFrom(
        ApprovalSettings settings, DeviceKey key, Assembly a) {
      Set<String> trusted = new LinkedHashSet<>(settings.trustedDids());
      if (trusted.isEmpty() && key != null) {
        trusted.add(key.did());
      }
      if (trusted.isEmpty()) {
        return null;
      }
      Set<String> fixed = Set.copyOf(trusted);
      return new JwsApprovalVerifier(
          () -> fixed,
          new MemoryNonceLedger(a.clock, MemoryNonceLedger.DEFAULT_MAX_ENTRIES),
          a.clock,
          settings.maxAge(),
          settings.maxSkew());
    }

    private static ExecutorService refreshPool() {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              2,
              2,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(1024),
              r -> {
                Thread t =
                    new Thread(r, "olares-secrets-refresh-" + REFRESH_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }
}
