package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.audit.AuditVerifier;
import io.olares.secrets.audit.JsonLinesAuditSink;
import io.olares.secrets.fakes.FakeStore;
import io.olares.secrets.fakes.ManualExecutor;
import io.olares.secrets.fakes.MutableClock;
import io.olares.secrets.fakes.RecordingAuditSink;
import io.olares.secrets.fakes.RulePolicy;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.spi.Capability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads served from the facade's cache reach the audit trail as counted tallies. */
class SecretsAuditTallyTest {
  private static final Duration NEVER = Duration.ofHours(1);

  private final MutableClock clock = MutableClock.atEpochPlusOneDay();
  private final ManualExecutor refresher = new ManualExecutor();
  private final RulePolicy policy = new RulePolicy();
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final FakeStore infisical = new FakeStore("infisical", Classification.CREDENTIAL);
  private final FakeStore vault =
      new FakeStore("vault", Classification.VAULT_ITEM, Capability.SIGN);
  private final List<Secrets> opened = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() {
    opened.forEach(Secrets::close);
  }

  private Secrets build(Duration window) {
    Secrets s =
        Secrets.builder()
            .app("myapp")
            .policy(policy)
            .audit(audit)
            .clock(clock)
            .executor(refresher)
            .discovery(false)
            .store(infisical)
            .store(vault)
            .auditTally(window)
            .build();
    opened.add(s);
    return s;
  }

  private static int read(Secrets secrets, String ref) {
    try (Secret s = secrets.get(ref)) {
      return s.value().length();
    }
  }

  @Test
  void repeatedCachedReadsBecomeOneCountedEventBesideTheStoreRead() {
    infisical.seed("infisical://myapp/prod/DB", "pw");
    Secrets secrets = build(NEVER);
    clock.advance(Duration.ofSeconds(1));

    for (int i = 0; i < 1000; i++) {
      assertThat(read(secrets, "infisical://myapp/prod/DB")).isEqualTo(2);
    }
    assertThat(infisical.reads).hasValue(1);
    assertThat(audit.events).hasSize(1); // the store read, recorded at once
    clock.advance(Duration.ofSeconds(4));
    secrets.flushAudit();

    assertThat(audit.events).hasSize(2);
    AuditEvent single = audit.events.get(0);
    assertThat(single.isTally()).isFalse();
    assertThat(single.count()).isEqualTo(1);
    AuditEvent tally = audit.events.get(1);
    assertThat(tally.isTally()).isTrue();
    assertThat(tally.count()).isEqualTo(999);
    assertThat(tally.reference()).isEqualTo("infisical://myapp/prod/DB");
    assertThat(tally.app()).isEqualTo("myapp");
    assertThat(tally.operation()).isEqualTo(Operation.READ);
    assertThat(tally.classification()).isEqualTo(Classification.CREDENTIAL);
    assertThat(tally.decision()).isEqualTo("allow");
    assertThat(tally.outcome()).isEqualTo("ok");
    assertThat(tally.time())
        .as("the window opened when the facade was built")
        .isEqualTo(MutableClock.atEpochPlusOneDay().instant());
    assertThat(tally.until()).isEqualTo(clock.instant());

    secrets.flushAudit();
    assertThat(audit.events).as("nothing more was read, so nothing more is written").hasSize(2);
  }

  @Test
  void thePolicyDecidesEveryCachedReadAndADenialIsNeverServedNorTallied() {
    infisical.seed("infisical://myapp/prod/DB", "pw");
    Secrets secrets = build(NEVER);
    read(secrets, "infisical://myapp/prod/DB");
    read(secrets, "infisical://myapp/prod/DB");
    int decided = policy.seen.size();

    read(secrets, "infisical://myapp/prod/DB");
    assertThat(policy.seen).hasSize(decided + 1);

    infisical.seed("infisical://forbidden/prod/DB", "other");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> read(secrets, "infisical://forbidden/prod/DB"))
          .isInstanceOf(AccessDeniedException.class);
    }
    secrets.flushAudit();
    assertThat(audit.events)
        .filteredOn(e -> e.reference().startsWith("infisical://forbidden"))
        .hasSize(3)
        .allSatisfy(
            e -> {
              assertThat(e.isTally()).isFalse();
              assertThat(e.decision()).isEqualTo("deny");
            });
    assertThat(audit.events)
        .filteredOn(AuditEvent::isTally)
        .singleElement()
        .extracting(AuditEvent::count)
        .isEqualTo(2L);
  }

  @Test
  void readsThatNeedAnApprovalAreNeverTallied() {
    vault.seed("vault://personal/key", "k");
    Secrets secrets = build(NEVER);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> read(secrets, "vault://personal/key"))
          .isInstanceOf(AccessDeniedException.class);
    }
    secrets.flushAudit();
    assertThat(audit.events).hasSize(2).noneMatch(AuditEvent::isTally);
  }

  @Test
  void aZeroWindowRecordsEveryReadAsItsOwnEvent() {
    infisical.seed("infisical://myapp/prod/DB", "pw");
    Secrets secrets = build(Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      read(secrets, "infisical://myapp/prod/DB");
    }
    secrets.flushAudit();
    assertThat(infisical.reads).hasValue(1);
    assertThat(audit.events).hasSize(5).allMatch(e -> !e.isTally() && e.count() == 1);
  }

  @Test
  void closingWritesTheOpenTally() {
    infisical.seed("infisical://myapp/prod/DB", "pw");
    Secrets secrets = build(NEVER);
    for (int i = 0; i < 7; i++) {
      read(secrets, "infisical://myapp/prod/DB");
    }
    secrets.close();
    assertThat(audit.events).hasSize(2);
    assertThat(audit.events.get(1).count()).isEqualTo(6);
  }

  @Test
  void everyReadIsCountedExactlyOnceWhileWindowsCloseUnderConcurrentReaders() throws Exception {
    int threads = 8;
    int perThread = 20_000;
    int keys = 16;
    for (int k = 0; k < keys; k++) {
      infisical.seed("infisical://myapp/prod/K" + k, "v" + k);
    }
    // A 1 ms window: the timer drains hundreds of times while the readers run.
    ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();
    Secrets secrets =
        Secrets.builder()
            .app("myapp")
            .audit(events::add)
            .policy(request -> Decision.allow("allowed by this test"))
            .clock(clock)
            .executor(refresher)
            .discovery(false)
            .store(infisical)
            .auditTally(Duration.ofMillis(1))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    read(secrets, "infisical://myapp/prod/K" + ((i + offset) % keys));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    secrets.close();

    long recorded = events.stream().mapToLong(AuditEvent::count).sum();
    assertThat(recorded).isEqualTo((long) threads * perThread);
    assertThat(events.stream().filter(AuditEvent::isTally).count())
        .as("windows closed while the readers ran")
        .isGreaterThan(keys);
    for (int k = 0; k < keys; k++) {
      String ref = "infisical://myapp/prod/K" + k;
      assertThat(
              events.stream()
                  .filter(e -> e.reference().equals(ref))
                  .mapToLong(AuditEvent::count)
                  .sum())
          .as(ref)
          .isEqualTo((long) threads * perThread / keys);
    }
  }

  @Test
  void everyReadThatReturnedAValueIsInTheTrailEvenWhenCloseRacesTheReaders() throws Exception {
    for (int round = 0; round < 20; round++) {
      ClosingSink sink = new ClosingSink();
      Secrets secrets = racedFacade(sink, null);
      read(secrets, "infisical://myapp/prod/DB"); // loads the value: one event of its own
      long delivered = readWhileClosing(secrets, 1000);
      long counted = sink.events.stream().mapToLong(AuditEvent::count).sum() - 1;
      assertThat(counted).as("round %d", round).isGreaterThanOrEqualTo(delivered);
    }
  }

  /** A facade over one seeded secret whose audit goes to {@code sink}; null cache: defaults. */
  private Secrets racedFacade(ClosingSink sink, io.olares.secrets.cache.CacheOptions cache) {
    FakeStore store = new FakeStore("infisical", Classification.CREDENTIAL);
    store.seed("infisical://myapp/prod/DB", "pw");
    Secrets.Builder b =
        Secrets.builder()
            .app("myapp")
            .audit(sink)
            .policy(request -> Decision.allow("allowed by this test"))
            .executor(refresher)
            .discovery(false)
            .store(store)
            .auditTally(NEVER);
    return (cache == null ? b : b.cache(cache)).build();
  }

  /**
   * Three threads read the seeded secret until {@code close()}, which runs once {@code before}
   * reads returned; how many reads returned a value.
   */
  private static long readWhileClosing(Secrets secrets, int before) throws Exception {
    int readers = 3;
    java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
    CyclicBarrier start = new CyclicBarrier(readers + 1);
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < readers; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  while (true) {
                    try {
                      read(secrets, "infisical://myapp/prod/DB");
                      delivered.incrementAndGet();
                    } catch (IllegalStateException closedNow) {
                      return null;
                    }
                  }
                }));
      }
      start.await();
      while (delivered.get() < before) {
        Thread.onSpinWait();
      }
      secrets.close();
      for (Future<?> f : done) {
        f.get();
      }
      return delivered.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTallyWindowIsBetweenZeroAndOneDay() {
    assertThatThrownBy(() -> Secrets.builder().auditTally(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 day");
    assertThatThrownBy(() -> Secrets.builder().auditTally(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A sink that, like the asynchronous one, drops what reaches it after it was closed. */
  private static final class ClosingSink implements io.olares.secrets.audit.AuditSink {
    final ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();
    volatile boolean closed;

    @Override
    public void record(AuditEvent event) {
      if (!closed) {
        events.add(event);
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void everyUncachedReadThatReturnedAValueIsInTheTrailEvenWhenCloseRacesTheReaders()
      throws Exception {
    for (int round = 0; round < 20; round++) {
      ClosingSink sink = new ClosingSink();
      Secrets secrets = racedFacade(sink, io.olares.secrets.cache.CacheOptions.DISABLED);
      long delivered = readWhileClosing(secrets, 200);
      long recorded = sink.events.stream().filter(e -> e.outcome().equals("ok")).count();
      assertThat(recorded).as("round %d", round).isGreaterThanOrEqualTo(delivered);
    }
  }

  @Test
  void aTallyIsAChainedLineWithItsCountAndWindowThatTheVerifierAccepts() throws Exception {
    infisical.seed("infisical://myapp/prod/DB", "pw-canary-7f3a");
    Path file = dir.resolve("audit.jsonl");
    Secrets secrets =
        Secrets.builder()
            .app("myapp")
            .policy(policy)
            .audit(JsonLinesAuditSink.open(file, JsonLinesAuditSink.Durability.SYNC_EACH_EVENT))
            .clock(clock)
            .executor(refresher)
            .discovery(false)
            .store(infisical)
            .auditTally(NEVER)
            .build();
    for (int i = 0; i < 3; i++) {
      read(secrets, "infisical://myapp/prod/DB");
    }
    secrets.close();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).doesNotContain("\"count\"");
    assertThat(lines.get(1))
        .contains(
            "\"durationMicros\":0,\"count\":2,\"until\":\"" + clock.instant() + "\",\"seq\":2");
    assertThat(String.join("\n", lines)).doesNotContain("pw-canary-7f3a");
    assertThat(AuditVerifier.verify(file).ok()).isTrue();
  }
}
