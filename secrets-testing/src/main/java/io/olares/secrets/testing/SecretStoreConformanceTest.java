package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SecretStore} must show, as an abstract JUnit 5 class. A store module
 * proves its store conforms by extending it in its tests:
 *
 * <pre>{@code
 * class VaultStoreConformanceTest extends SecretStoreConformanceTest {
 *   protected SecretStore createStore() { return ... a fresh, empty-enough store ...; }
 *   protected SecretRef ref(String name) { return SecretRef.of("vault", "personal", name); }
 * }
 * }</pre>
 *
 * <p>Each test gets a store from {@link #createStore()} and uses names no other test uses, so a
 * shared backend is fine. What a store cannot do is switched off in {@link #features()}; the tests
 * that need it are then skipped with a message naming the feature. Tests of {@link
 * Capability#VERSIONS} and {@link Capability#WATCH} run where the store declares them.
 *
 * <p>The canary test writes a unique value and drives every path it can reach (read, describe,
 * list, overwrite, versions, delete, not found, references to another store, a closed value, a
 * closed store), then checks that the value (as text, hex or base64) appears in no exception, no
 * {@code toString} of anything returned, and nothing logged through SLF4J, {@code System.err},
 * {@code System.out} or {@code java.util.logging}. Let the test class path log the store's own
 * packages at {@code trace} so the check sees every line.
 */
public abstract class SecretStoreConformanceTest {

  /** What a store under test can do; switch off in {@link #features()} what it cannot. */
  public enum Feature {
    /** {@link SecretStore#write} works; without it, {@link #seed} puts the test values in place. */
    WRITE,
    /** {@link SecretStore#delete} works. */
    DELETE,
    /** {@link SecretStore#list} works on the prefixes {@link #listPrefix(String)} returns. */
    LIST,
    /** Values may be any bytes, not only UTF-8 text. */
    BINARY,
    /** A value may be empty (zero bytes). */
    EMPTY_VALUES,
    /** Values of {@link #maxValueBytes()} bytes are kept. */
    LARGE,
    /** Several threads may write at once, and nothing is lost. */
    CONCURRENT_WRITES
  }

  /** The size of the large value unless {@link #maxValueBytes()} says otherwise: 1 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

  /** The number of threads in the concurrent-writer tests. */
  public static final int WRITER_THREADS = 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Set<SecretRef> written = ConcurrentHashMap.newKeySet();
  private SecretStore store;
  private String run;

  // ---------------------------------------------------------------- hooks for subclasses

  /** A new store instance for one test; it is closed after the test. */
  protected abstract SecretStore createStore() throws Exception;

  /**
   * A reference to a secret called {@code name} in the store under test. The kit passes names made
   * of lower-case letters, digits and {@code -}, unique to each test; equal names must give equal
   * references.
   */
  protected abstract SecretRef ref(String name);

  /**
   * A reference to a secret called {@code name} below {@code folder}, such that {@link
   * #listPrefix(String)} of the folder covers it and no other folder's prefix does. By default the
   * name is appended as a path segment to {@code ref(folder)}.
   */
  protected SecretRef ref(String folder, String name) {
    SecretRef parent = ref(folder);
    List<String> path = new ArrayList<>(parent.path());
    path.add(name);
    return SecretRef.of(
        parent.store(), parent.container(), path, null, parent.field().orElse(null));
  }

  /** The prefix that lists the secrets of {@code folder}; by default {@code ref(folder)}. */
  protected SecretRef listPrefix(String folder) {
    return ref(folder).base();
  }

  /** What the store can do; everything by default. */
  protected Set<Feature> features() {
    return EnumSet.allOf(Feature.class);
  }

  /** The largest value the store keeps, used by the large-value test; 1 MiB by default. */
  protected int maxValueBytes() {
    return DEFAULT_MAX_VALUE_BYTES;
  }

  /** How many distinct secrets each of the {@value #WRITER_THREADS} writer threads writes. */
  protected int writesPerThread() {
    return 16;
  }

  /** How long to wait for a change notification; 10 seconds by default. */
  protected Duration watchTimeout() {
    return Duration.ofSeconds(10);
  }

  /** The app the tests act as; {@code conformance} by default. */
  protected String app() {
    return "conformance";
  }

  /**
   * The context for one call. Stores that verify approvals override this to attach one for {@code
   * ref} and {@code operation}.
   */
  protected AccessContext access(SecretRef ref, Operation operation) {
    return AccessContext.of(app(), operation);
  }

  /**
   * Puts a value in place before a test reads it. By default this writes through the store; a
   * read-only store (without {@link Feature#WRITE}) must override it. The value is closed
   * afterwards.
   */
  protected void seed(SecretRef ref, SecretValue value) throws Exception {
    if (!features().contains(Feature.WRITE)) {
      throw new UnsupportedOperationException(
          getClass().getSimpleName() + " switches off WRITE, so it must override seed()");
    }
    store.write(ref, value, access(ref, Operation.WRITE));
  }

  /** Closes the store after a test; override to also clean up a backend. */
  protected void closeStore(SecretStore storeUnderTest) throws Exception {
    storeUnderTest.close();
  }

  /** The store of the running test. */
  protected final SecretStore store() {
    return store;
  }

  /** A name unique to the running test, built from {@code label}. */
  protected final String name(String label) {
    return "t" + run + "-" + label;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Opens the store for one test. */
  @BeforeEach
  public final void openStoreUnderTest() throws Exception {
    run = HexFormat.of().formatHex(randomBytes(5));
    written.clear();
    store = createStore();
    assertThat(store).as("createStore() returned null").isNotNull();
  }

  /** Deletes what the test wrote (where the store can delete) and closes the store. */
  @AfterEach
  public final void closeStoreUnderTest() throws Exception {
    if (store == null) {
      return;
    }
    try {
      if (features().contains(Feature.DELETE)) {
        for (SecretRef ref : written) {
          try {
            store.delete(ref, access(ref, Operation.DELETE));
          } catch (RuntimeException e) {
            // clean-up is best effort; a closed store or a vanished secret is fine here
          }
        }
      }
    } finally {
      closeStore(store);
      store = null;
    }
  }

  // ---------------------------------------------------------------- tests

  /** Checks that a name never written reads as empty rather than throwing. */
  @Test
  public void aSecretThatWasNeverWrittenReadsAsEmpty() {
    SecretRef missing = ref(name("missing"));

    assertThat(read(missing)).isEmpty();
  }

  /** Checks that deleting what is not there says so. */
  @Test
  public void deletingASecretThatDoesNotExistReturnsFalse() {
    require(Feature.DELETE);
    SecretRef missing = ref(name("missing"));

    assertThat(store.delete(missing, access(missing, Operation.DELETE))).isFalse();
  }

  /** Checks byte-exact storage of all 256 byte values, in two orders. */
  @Test
  public void everyByteValueComesBackExactly() throws Exception {
    require(Feature.BINARY);
    byte[] ascending = new byte[256];
    byte[] descending = new byte[256];
    for (int i = 0; i < 256; i++) {
      ascending[i] = (byte) i;
      descending[i] = (byte) (255 - i);
    }
    SecretRef up = ref(name("bytes-up"));
    SecretRef down = ref(name("bytes-down"));

    put(up, ascending);
    put(down, descending);

    assertThat(readBytes(up)).isEqualTo(ascending);
    assertThat(readBytes(down)).isEqualTo(descending);
  }

  /** Checks that text in many scripts comes back as the same bytes, without normalization. */
  @Test
  public void textInManyScriptsComesBackByteForByte() throws Exception {
    String text = UNICODE_SAMPLE;
    String composed = "caf\u00e9 \u00c5";
    String decomposed = "cafe\u0301 A\u030a";
    SecretRef mixed = ref(name("unicode"));
    SecretRef nfc = ref(name("nfc"));
    SecretRef nfd = ref(name("nfd"));

    put(mixed, text.getBytes(StandardCharsets.UTF_8));
    put(nfc, composed.getBytes(StandardCharsets.UTF_8));
    put(nfd, decomposed.getBytes(StandardCharsets.UTF_8));

    assertThat(readBytes(mixed)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(readBytes(mixed), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(readBytes(nfc)).isEqualTo(composed.getBytes(StandardCharsets.UTF_8));
    assertThat(readBytes(nfd)).isEqualTo(decomposed.getBytes(StandardCharsets.UTF_8));
  }

  /** Checks that an empty value is a present, empty secret. */
  @Test
  public void anEmptyValueReadsAsPresentAndEmpty() throws Exception {
    require(Feature.EMPTY_VALUES);
    SecretRef empty = ref(name("empty"));

    put(empty, new byte[0]);

    try (Secret secret = read(empty).orElseThrow(() -> new AssertionError(empty + " is absent"))) {
      assertThat(secret.value().length()).isZero();
    }
  }

  /** Checks a value of {@link #maxValueBytes()} bytes. */
  @Test
  public void aLargeValueComesBackExactly() throws Exception {
    require(Feature.LARGE);
    byte[] large = largeValue(maxValueBytes(), new SplittableRandom(RANDOM.nextLong()));
    SecretRef ref = ref(name("large"));

    put(ref, large);

    assertThat(readBytes(ref)).as("a value of %d bytes", large.length).isEqualTo(large);
  }

  /** Checks that a later write wins, whether shorter or longer than the earlier one. */
  @Test
  public void overwritingReplacesTheWholeValue() throws Exception {
    require(Feature.WRITE);
    SecretRef ref = ref(name("overwrite"));
    byte[] first = text("the first value, which is the longest of the three");
    byte[] second = text("a shorter one");
    byte[] third = text("a third value, longer than the second");

    put(ref, first);
    put(ref, second);
    assertThat(readBytes(ref)).isEqualTo(second);

    put(ref, third);
    assertThat(readBytes(ref)).isEqualTo(third);
  }

  /** Checks delete: the secret is gone, a second delete finds nothing, neighbours stay. */
  @Test
  public void aDeletedSecretReadsAsEmptyAndItsNeighbourStays() throws Exception {
    require(Feature.DELETE);
    SecretRef doomed = ref(name("doomed"));
    SecretRef neighbour = ref(name("neighbour"));
    put(doomed, text("to be deleted"));
    put(neighbour, text("to be kept"));

    assertThat(store.delete(doomed, access(doomed, Operation.DELETE))).isTrue();

    assertThat(read(doomed)).isEmpty();
    assertThat(store.delete(doomed, access(doomed, Operation.DELETE))).isFalse();
    assertThat(readBytes(neighbour)).isEqualTo(text("to be kept"));
  }

  /** Checks that a listing holds what lies below the prefix and nothing beside it. */
  @Test
  public void listingAPrefixShowsWhatLiesBelowItAndNothingElse() throws Exception {
    require(Feature.LIST);
    String folder = name("alpha");
    List<SecretRef> inside = List.of(ref(folder, "one"), ref(folder, "two"));
    List<SecretRef> outside =
        List.of(ref(name("alphabet"), "one"), ref(name("beta"), "one"), ref(name("alph")));
    for (SecretRef ref : inside) {
      put(ref, text("inside"));
    }
    for (SecretRef ref : outside) {
      put(ref, text("outside"));
    }
    SecretRef prefix = listPrefix(folder);

    List<SecretInfo> listed = store.list(prefix, access(prefix, Operation.LIST));

    Set<SecretRef> refs =
        listed.stream().map(info -> info.ref().withVersion(null)).collect(Collectors.toSet());
    assertThat(refs).containsAll(inside);
    assertThat(refs).doesNotContainAnyElementsOf(outside);
    assertThat(refs).allSatisfy(ref -> assertThat(prefix.covers(ref)).as("%s", ref).isTrue());
  }

  /** Checks {@value #WRITER_THREADS} threads each writing their own secrets at once. */
  @Test
  public void concurrentWritersOfDistinctSecretsLoseNothing() throws Exception {
    require(Feature.WRITE);
    require(Feature.CONCURRENT_WRITES);
    int perThread = writesPerThread();
    Map<SecretRef, byte[]> expected = new ConcurrentHashMap<>();

    runConcurrently(
        thread -> {
          for (int i = 0; i < perThread; i++) {
            SecretRef ref = ref(name("w" + thread + "-" + i));
            byte[] value = text("writer " + thread + " secret " + i + " " + run);
            expected.put(ref, value);
            put(ref, value);
          }
        });

    assertThat(expected).hasSize(WRITER_THREADS * perThread);
    for (Map.Entry<SecretRef, byte[]> e : expected.entrySet()) {
      assertThat(readBytes(e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** Checks that racing overwrites of one secret leave one whole value, never a mixture. */
  @Test
  public void concurrentOverwritesOfOneSecretLeaveOneWholeValue() throws Exception {
    require(Feature.WRITE);
    require(Feature.CONCURRENT_WRITES);
    SecretRef ref = ref(name("contended"));
    List<byte[]> candidates =
        IntStream.range(0, WRITER_THREADS)
            .mapToObj(t -> text(("value of writer " + t + " ").repeat(t + 1)))
            .toList();

    runConcurrently(
        thread -> {
          for (int i = 0; i < 4; i++) {
            put(ref, candidates.get(thread));
          }
        });

    byte[] last = readBytes(ref);
    assertThat(candidates).anySatisfy(candidate -> assertThat(last).isEqualTo(candidate));
  }

  /** Checks that the store copies values in and out, so callers wiping theirs changes nothing. */
  @Test
  public void wipingTheCallersCopiesLeavesTheStoredValueIntact() throws Exception {
    require(Feature.WRITE);
    SecretRef ref = ref(name("copies"));
    byte[] original = text("kept by the store");
    SecretValue given = SecretValue.ofBytes(original);

    store.write(ref, given, access(ref, Operation.WRITE));
    written.add(ref);
    given.close();
    read(ref).orElseThrow().close();

    assertThat(readBytes(ref)).isEqualTo(original);
  }

  /** Checks that a read secret carries the classification {@link SecretStore#describe} gives. */
  @Test
  public void aReadSecretHasTheClassificationDescribeGives() throws Exception {
    SecretRef ref = ref(name("described"));
    put(ref, text("described"));

    try (Secret secret = read(ref).orElseThrow()) {
      assertThat(secret.classification()).isEqualTo(store.describe(ref, app()).classification());
    }
  }

  /** Checks that {@code ?version=} reads an older version, where the store keeps versions. */
  @Test
  public void anOlderVersionStaysReadableByItsVersion() throws Exception {
    requireCapability(Capability.VERSIONS);
    require(Feature.WRITE);
    SecretRef ref = ref(name("versioned"));
    put(ref, text("version one"));
    String first;
    try (Secret secret = read(ref).orElseThrow()) {
      first = secret.metadata().version();
    }
    assertThat(first).as("the version a VERSIONS store reports").isNotBlank();

    put(ref, text("version two"));

    assertThat(readBytes(ref.withVersion(first))).isEqualTo(text("version one"));
    assertThat(readBytes(ref)).isEqualTo(text("version two"));
  }

  /** Checks that a watcher hears of a write and of a delete, where the store can notify. */
  @Test
  public void aWatcherHearsOfWritesAndDeletes() throws Exception {
    requireCapability(Capability.WATCH);
    require(Feature.WRITE);
    BlockingQueue<SecretRef> heard = new LinkedBlockingQueue<>();
    SecretRef ref = ref(name("watched"));
    Optional<AutoCloseable> handle = store.watch(heard::add);
    assertThat(handle).as("watch() of a store with the WATCH capability").isPresent();
    try {
      put(ref, text("watched"));
      awaitChange(heard, ref, "a write");

      if (features().contains(Feature.DELETE)) {
        store.delete(ref, access(ref, Operation.DELETE));
        awaitChange(heard, ref, "a delete");
      }
    } finally {
      handle.get().close();
    }
  }

  /** Checks that the declared capabilities include what the features under test use. */
  @Test
  public void theDeclaredCapabilitiesIncludeWhatTheStoreDoes() {
    Set<Capability> capabilities = store.capabilities();
    Set<Capability> needed = EnumSet.of(Capability.READ);
    Map<Feature, Capability> map =
        Map.of(
            Feature.WRITE, Capability.WRITE,
            Feature.DELETE, Capability.DELETE,
            Feature.LIST, Capability.LIST,
            Feature.BINARY, Capability.BINARY);
    map.forEach(
        (feature, capability) -> {
          if (features().contains(feature)) {
            needed.add(capability);
          }
        });

    assertThat(capabilities).containsAll(needed);
  }

  /**
   * Writes a unique canary value, drives every path the store offers, and checks that the canary
   * (as text, hex or base64) appears in no exception, returned object's {@code toString}, or log.
   */
  @Test
  public void aStoredValueAppearsInNoMessageStringOrLog() throws Exception {
    String canary = "canary-" + HexFormat.of().formatHex(randomBytes(16));
    boolean list = features().contains(Feature.LIST);
    String folder = name("canary-folder");
    SecretRef target = list ? ref(folder, "canary") : ref(name("canary"));
    SecretRef missing = ref(name("canary-missing"));
    SecretRef otherStore =
        SecretRef.of("other" + run, target.container(), target.path(), null, null);
    SecretRef containerOnly =
        SecretRef.of(target.store(), target.container(), List.of(), null, null);
    List<String> seen = new ArrayList<>();

    String logged =
        LogCapture.capture(
            () -> {
              observe(seen, "seed", () -> stored(target, canary));
              observe(seen, "describe", () -> store.describe(target, app()));
              Optional<Secret> first = observe(seen, "read", () -> read(target));
              assertCanaryReadable(first, canary);
              String version = first.flatMap(s -> s.metadata().versionOpt()).orElse(null);
              if (list) {
                SecretRef prefix = listPrefix(folder);
                observe(seen, "list", () -> store.list(prefix, access(prefix, Operation.LIST)));
              }
              if (features().contains(Feature.WRITE)) {
                observe(seen, "overwrite", () -> stored(target, canary + "-overwritten"));
                observe(seen, "read overwritten", () -> read(target));
                SecretValue closed = SecretValue.ofString(canary);
                closed.close();
                observe(seen, "write closed value", () -> write(target, closed));
                observe(
                    seen,
                    "write with version",
                    () -> write(target.withVersion("1"), SecretValue.ofString(canary)));
                observe(
                    seen,
                    "write other store",
                    () -> write(otherStore, SecretValue.ofString(canary)));
              }
              if (version != null) {
                observe(seen, "read old version", () -> read(target.withVersion(version)));
              }
              observe(seen, "read unknown version", () -> read(target.withVersion("999999")));
              observe(seen, "read bad version", () -> read(target.withVersion("no-such")));
              observe(seen, "read other store", () -> read(otherStore));
              observe(seen, "read container", () -> read(containerOnly));
              observe(seen, "read missing", () -> read(missing));
              if (features().contains(Feature.DELETE)) {
                observe(seen, "delete other store", () -> delete(otherStore));
                observe(seen, "delete", () -> delete(target));
                observe(seen, "read deleted", () -> read(target));
                observe(seen, "delete again", () -> delete(target));
                observe(seen, "delete missing", () -> delete(missing));
              }
              observe(seen, "store", () -> store);
              observe(seen, "capabilities", () -> store.capabilities());
              observe(seen, "close", () -> closed(store));
              observe(seen, "read after close", () -> read(target));
              first.ifPresent(Secret::close);
            });

    List<String> forms = encodedForms(canary);
    for (String text : seen) {
      for (String form : forms) {
        assertThat(text).as("what the store returned or threw").doesNotContain(form);
      }
    }
    for (String form : forms) {
      assertThat(logged).as("what was logged").doesNotContain(form);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Skips the running test where the store lacks {@code feature}. */
  protected final void require(Feature feature) {
    assumeTrue(
        features().contains(feature),
        () -> getClass().getSimpleName() + " switches off " + feature + "; test skipped");
  }

  private void requireCapability(Capability capability) {
    assumeTrue(
        store.capabilities().contains(capability),
        () -> store.type() + " store does not declare " + capability + "; test skipped");
  }

  /** Stores {@code bytes} at {@code ref} by write or {@link #seed}, remembering it for clean-up. */
  protected final void put(SecretRef ref, byte[] bytes) throws Exception {
    written.add(ref);
    try (SecretValue value = SecretValue.ofBytes(bytes)) {
      seed(ref, value);
    }
  }

  private Object write(SecretRef ref, SecretValue value) {
    written.add(ref.withVersion(null));
    try {
      store.write(ref, value, access(ref, Operation.WRITE));
      return "written";
    } finally {
      if (!value.isClosed()) {
        value.close();
      }
    }
  }

  private boolean delete(SecretRef ref) {
    return store.delete(ref, access(ref, Operation.DELETE));
  }

  /** Reads {@code ref} through the store. */
  protected final Optional<Secret> read(SecretRef ref) {
    return store.read(ref, access(ref, Operation.READ));
  }

  /** Reads the bytes at {@code ref}; fails where the secret is absent. */
  protected final byte[] readBytes(SecretRef ref) {
    try (Secret secret = read(ref).orElseThrow(() -> new AssertionError(ref + " is absent"))) {
      assertThat(secret.value().isClosed())
          .as("the value of %s was handed out already wiped: is it shared with a caller?", ref)
          .isFalse();
      return secret.value().revealBytes();
    }
  }

  private Object stored(SecretRef ref, String value) throws Exception {
    put(ref, text(value));
    return "stored";
  }

  private Object closed(SecretStore target) throws Exception {
    closeStore(target);
    return "closed";
  }

  private void runConcurrently(WriterTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITER_THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < WRITER_THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  task.run(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface WriterTask {
    void run(int thread) throws Exception;
  }

  private void awaitChange(BlockingQueue<SecretRef> heard, SecretRef ref, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + watchTimeout().toNanos();
    while (true) {
      SecretRef event = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("no change notification for " + what + " of " + ref + " within " + watchTimeout());
      }
      if (event.covers(ref)) {
        return;
      }
    }
  }

  private static void assertCanaryReadable(Optional<Secret> secret, String canary) {
    assertThat(secret)
        .as("the canary must be readable, or the leak check proves nothing")
        .isPresent();
    assertThat(secret.get().value().equalsConstantTime(text(canary)))
        .as("the canary reads back as written")
        .isTrue();
  }

  /**
   * Runs {@code call}, recording the text of what it returned or threw; returns the result, or
   * empty for a call that threw or returned something other than an {@code Optional}.
   */
  @SuppressWarnings("unchecked")
  private static <T> Optional<T> observe(List<String> seen, String step, Callable<?> call) {
    try {
      Object result = call.call();
      seen.add(step + " returned " + describe(result));
      return result instanceof Optional ? (Optional<T>) result : Optional.empty();
    } catch (Exception | LinkageError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      seen.add(step + " threw " + trace);
      return Optional.empty();
    }
  }

  private static String describe(Object result) {
    if (result instanceof Optional) {
      return describe(((Optional<?>) result).orElse(null));
    }
    if (result instanceof Secret) {
      Secret secret = (Secret) result;
      return secret + " value=" + secret.value() + " metadata=" + secret.metadata();
    }
    if (result instanceof Collection) {
      StringBuilder sb = new StringBuilder();
      for (Object item : (Collection<?>) result) {
        sb.append(describe(item)).append('\n');
      }
      return sb.toString();
    }
    return String.valueOf(result);
  }

  /**
   * The forms a leaked value would take: the text, its hex in both cases, and its standard and
   * URL-safe base64 at each of the three alignments it could have inside a longer encoded blob.
   */
  static List<String> encodedForms(String canary) {
    byte[] bytes = text(canary);
    Set<String> forms = new LinkedHashSet<>();
    forms.add(canary);
    String hex = HexFormat.of().formatHex(bytes);
    forms.add(hex);
    forms.add(hex.toUpperCase(Locale.ROOT));
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      for (int shift = 0; shift < 3; shift++) {
        byte[] shifted = new byte[shift + bytes.length];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        // drop the characters that mix in the bytes before and after the value
        int from = shift == 0 ? 0 : 4;
        int to = encoded.length() - 4;
        forms.add(encoded.substring(from, to));
      }
    }
    return List.copyOf(forms);
  }

  /** Random bytes, or random letters and digits where the store holds text only. */
  private byte[] largeValue(int size, SplittableRandom random) {
    byte[] value = new byte[size];
    if (features().contains(Feature.BINARY)) {
      random.nextBytes(value);
      return value;
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < size; i++) {
      value[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return value;
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * Text across scripts and planes: Latin with diacritics, Greek, Cyrillic, Hebrew and Arabic
   * (right to left), Devanagari, Thai, Chinese, Japanese, Korean, emoji with a skin tone, a
   * zero-width-joiner sequence and a flag, combining marks, a supplementary-plane ideograph and
   * mathematical letter, and invisible format characters.
   */
  static final String UNICODE_SAMPLE =
      String.join(
          " ",
          "Gr\u00fc\u00dfe \u0141\u00f3d\u017a \u00c5ngstr\u00f6m",
          "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1",
          "\u041f\u0440\u0438\u0432\u0435\u0442",
          "\u05e9\u05dc\u05d5\u05dd",
          "\u0645\u0631\u062d\u0628\u0627",
          "\u0928\u092e\u0938\u094d\u0924\u0947",
          "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35",
          "\u4f60\u597d\u4e16\u754c \u3053\u3093\u306b\u3061\u306f \uc548\ub155",
          "\ud83d\udd11 \ud83d\udc4d\ud83c\udffd",
          "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83c\uddef\ud83c\uddf5",
          "e\u0301 a\u0308 Z\u0351\u036b\u0343 \u1100\u1161",
          "\ud840\udc0b \ud835\udc00",
          "zero\u200bwidth bom\ufeffinside");
}
