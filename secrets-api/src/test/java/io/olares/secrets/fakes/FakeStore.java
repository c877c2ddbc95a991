package io.olares.secrets.fakes;

import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ChangeListener;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A hand-written in-memory store for facade tests: it keeps bytes per base reference, counts every
 * call, and can be told to fail, to classify references, to issue and check approvals itself, to
 * sign, and to report changes. Values are held as bytes and never printed.
 */
public final class FakeStore implements SecretStore {
  private final String name;
  private final Set<Capability> capabilities;
  private final Map<String, byte[]> values = new ConcurrentHashMap<>();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> issuedNonces = ConcurrentHashMap.newKeySet();
  private volatile Function<SecretRef, ResourceInfo> classifier;
  private volatile Supplier<RuntimeException> readFailure;
  private volatile java.util.concurrent.CountDownLatch readGate;
  private volatile boolean closed;

  public final AtomicInteger describes = new AtomicInteger();
  public final AtomicInteger reads = new AtomicInteger();
  public final AtomicInteger writes = new AtomicInteger();
  public final AtomicInteger deletes = new AtomicInteger();
  public final AtomicInteger lists = new AtomicInteger();
  public final AtomicInteger signs = new AtomicInteger();
  public final List<AccessContext> contexts = new CopyOnWriteArrayList<>();

  public FakeStore(String name, Classification classification, Capability... extra) {
    this.name = name;
    this.classifier = ref -> ResourceInfo.of(classification);
    EnumSet<Capability> caps =
        EnumSet.of(Capability.READ, Capability.WRITE, Capability.DELETE, Capability.LIST);
    caps.addAll(List.of(extra));
    this.capabilities = Set.copyOf(caps);
  }

  public FakeStore(String name, Set<Capability> capabilities, Classification classification) {
    this.name = name;
    this.classifier = ref -> ResourceInfo.of(classification);
    this.capabilities = Set.copyOf(capabilities);
  }

  /** Classifies references with {@code classifier}. */
  public FakeStore classifyingBy(Function<SecretRef, ResourceInfo> classifier) {
    this.classifier = classifier;
    return this;
  }

  /** Makes every read throw what {@code failure} supplies; null to stop. */
  public void failReadsWith(Supplier<RuntimeException> failure) {
    this.readFailure = failure;
  }

  /** Makes every read wait until {@code gate} opens. */
  public void blockReadsOn(java.util.concurrent.CountDownLatch gate) {
    this.readGate = gate;
  }

  /** Puts a value directly, bypassing any facade. */
  public void seed(String ref, String value) {
    String key = SecretRef.parse(ref).base().toString();
    values.put(key, value.getBytes(StandardCharsets.UTF_8));
    versions.merge(key, 1, Integer::sum);
  }

  /** Tells listeners that {@code ref} changed. */
  public void fireChange(SecretRef ref) {
    for (ChangeListener l : listeners) {
      l.changed(ref);
    }
  }

  public boolean isClosed() {
    return closed;
  }

  public int listeners() {
    return listeners.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    describes.incrementAndGet();
    return classifier.apply(ref);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    reads.incrementAndGet();
    contexts.add(context);
    java.util.concurrent.CountDownLatch gate = readGate;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.olares.secrets.StoreUnavailableException("interrupted");
      }
    }
    checkApproval(ref, context);
    Supplier<RuntimeException> failure = readFailure;
    if (failure != null) {
      throw failure.get();
    }
    String key = ref.base().toString();
    byte[] bytes = values.get(key);
    if (bytes == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Secret(
            ref,
            classifier.apply(ref).classification(),
            SecretValue.ofBytes(bytes),
            SecretMetadata.ofVersion(String.valueOf(versions.get(key)))));
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    writes.incrementAndGet();
    contexts.add(context);
    String key = ref.base().toString();
    values.put(key, value.revealBytes());
    versions.merge(key, 1, Integer::sum);
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    deletes.incrementAndGet();
    contexts.add(context);
    return values.remove(ref.base().toString()) != null;
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    lists.incrementAndGet();
    contexts.add(context);
    List<SecretInfo> out = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(values.keySet())) {
      SecretRef ref = SecretRef.parse(key);
      out.add(
          new SecretInfo(
              ref,
              classifier.apply(ref).classification(),
              SecretMetadata.ofVersion(String.valueOf(versions.get(key)))));
    }
    return out;
  }

  @Override
  public ApprovalRequest approvalRequest(SecretRef ref, Operation operation, String app) {
    ApprovalRequest request =
        ApprovalRequest.create(
            "fake-vault-" + name, "item:" + ref.base(), operation, app, Instant.now());
    issuedNonces.add(request.nonce());
    return request;
  }

  @Override
  public byte[] sign(SecretRef ref, byte[] message, AccessContext context) {
    signs.incrementAndGet();
    contexts.add(context);
    checkApproval(ref, context);
    byte[] key = values.get(ref.base().toString());
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(key);
      md.update(message);
      return md.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<AutoCloseable> watch(ChangeListener listener) {
    if (!capabilities.contains(Capability.WATCH)) {
      return Optional.empty();
    }
    listeners.add(listener);
    return Optional.of(() -> listeners.remove(listener));
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FakeStore[" + name + "]";
  }

  /** Stores that verify approvals themselves accept only requests they issued, once. */
  private void checkApproval(SecretRef ref, AccessContext context) {
    if (!capabilities.contains(Capability.APPROVAL)
        || !classifier.apply(ref).classification().approvalPerUse()) {
      return;
    }
    Approval approval = context.approval();
    if (approval == null) {
      throw new ApprovalRejectedException(
          ApprovalRejectedException.Reason.MALFORMED, "no approval for " + ref);
    }
    if (!issuedNonces.remove(approval.request().nonce())
        || !approval.request().subject().equals("item:" + ref.base())
        || !FakeApprovals.signatureFor(approval.request()).equals(approval.jws())) {
      throw new ApprovalRejectedException(
          ApprovalRejectedException.Reason.WRONG_CHALLENGE, "approval does not fit " + ref);
    }
  }
}
