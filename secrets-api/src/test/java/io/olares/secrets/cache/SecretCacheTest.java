package io.olares.secrets.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.fakes.Await;
import io.olares.secrets.fakes.ManualExecutor;
import io.olares.secrets.fakes.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretCacheTest {
  private static final String KEY = "infisical://myapp/prod/DB_PASSWORD";
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
  private static final Duration STALE_IF_ERROR = Duration.ofMinutes(10);
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(5);
  private static final CacheOptions OPTIONS =
      new CacheOptions(TTL, REFRESH_AHEAD, STALE_IF_ERROR, NEGATIVE_TTL, 100);

  private final MutableClock clock = MutableClock.atEpochPlusOneDay();
  private final ManualExecutor manual = new ManualExecutor();
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void stopPools() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesTheCachedValueWithinTheTtlWithoutAskingUpstream() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n);

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    clock.advance(TTL.minus(REFRESH_AHEAD).minusSeconds(1));
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");

    assertThat(upstream.calls()).isEqualTo(1);
    assertThat(manual.pending()).isZero();
  }

  @Test
  void getIfFreshServesOnlyAFreshValueNotDueForRefreshAndNeverLoads() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> n == 2 ? null : "v" + n);
    String missing = "infisical://myapp/prod/MISSING";

    assertThat(cache.getIfFresh(KEY)).as("nothing cached yet").isNull();
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    try (Secret hit = cache.getIfFresh(KEY)) {
      assertThat(hit.value().revealString()).isEqualTo("v1");
    }
    assertThat(cache.stats().hits()).isEqualTo(1);

    clock.advance(TTL.minus(REFRESH_AHEAD));
    assertThat(cache.getIfFresh(KEY)).as("due for refresh: get() must start it").isNull();
    clock.advance(REFRESH_AHEAD);
    assertThat(cache.getIfFresh(KEY)).as("expired").isNull();
    assertThat(cache.get(missing, upstream)).isEmpty();
    assertThat(cache.getIfFresh(missing)).as("a remembered 'not found' is not a value").isNull();

    assertThat(upstream.calls()).isEqualTo(2);
    assertThat(manual.pending()).isZero();
    assertThat(cache.stats().hits()).isEqualTo(1);
  }

  @Test
  void lockFreeHitsNeverHandOutAWipedOrPartlyWipedValueWhileValuesAreReplaced() throws Exception {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> String.format("value-%08d-%s", n, "x".repeat(64)));
    cache.get(KEY, upstream).orElseThrow().close();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    pools.add(pool);
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    List<Future<?>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  Secret hit = cache.getIfFresh(KEY);
                  if (hit == null) {
                    continue;
                  }
                  try (hit) {
                    String text = hit.value().revealString();
                    if (!text.matches("value-\\d{8}-x{64}")) {
                      throw new AssertionError("a hit handed out damaged bytes");
                    }
                  }
                  served.incrementAndGet();
                }
                return null;
              }));
    }
    for (int i = 0; i < 2_000; i++) {
      cache.invalidate(KEY); // wipes the value the readers may be copying
      cache.get(KEY, upstream).orElseThrow().close();
    }
    stop.set(true);
    for (Future<?> f : readers) {
      f.get();
    }
    assertThat(served.get()).isPositive();
    assertThat(upstream.calls()).isEqualTo(2_001);
  }

  @Test
  void handsEachCallerAnIndependentCopyThatItMayClose() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n);

    Secret first = cache.get(KEY, upstream).orElseThrow();
    first.close();

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    assertThat(upstream.values.get(0).isClosed()).isFalse();
  }

  @Test
  void sixtyFourConcurrentReadersOfAMissingKeyCauseOneUpstreamRead() throws Exception {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    CountDownLatch release = new CountDownLatch(1);
    Upstream upstream = new Upstream(n -> "v" + n).blockingOn(1, release);
    ExecutorService readers = pool(64);
    CyclicBarrier start = new CyclicBarrier(64);

    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      results.add(
          readers.submit(
              () -> {
                start.await();
                return text(cache.get(KEY, upstream));
              }));
    }
    Await.until("63 readers wait for the one load", () -> cache.stats().joinedLoads() == 63);
    release.countDown();

    for (Future<String> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
    }
    assertThat(upstream.calls()).isEqualTo(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void aRefreshAheadOfExpiryNeverBlocksAReader() throws Exception {
    ExecutorService refresher = pool(2);
    SecretCache cache = new SecretCache(OPTIONS, clock, refresher);
    CountDownLatch release = new CountDownLatch(1);
    Upstream upstream = new Upstream(n -> "v" + n).blockingOn(2, release);
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");

    clock.advance(TTL.minus(REFRESH_AHEAD).plusSeconds(1));
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    upstream.awaitStarted(2);
    // The refresh is now stuck upstream; readers keep getting the current value at once.
    for (int i = 0; i < 10; i++) {
      assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    }
    assertThat(upstream.calls()).isEqualTo(2);
    assertThat(cache.stats().refreshes()).isEqualTo(1);

    release.countDown();
    Await.until("reads see the refreshed value", () -> "v2".equals(text(cache.get(KEY, upstream))));
    assertThat(upstream.calls()).isEqualTo(2);
    assertThat(upstream.values.get(0).isClosed()).as("replaced value is wiped").isTrue();
  }

  @Test
  void readsBeforeTheRefreshWindowStartNoRefresh() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n);
    cache.get(KEY, upstream).orElseThrow().close();

    clock.advance(TTL.minus(REFRESH_AHEAD).minusMillis(1));
    cache.get(KEY, upstream).orElseThrow().close();

    assertThat(manual.pending()).isZero();
    clock.advance(Duration.ofMillis(1));
    cache.get(KEY, upstream).orElseThrow().close();
    assertThat(manual.pending()).isEqualTo(1);
  }

  @Test
  void staleValuesAreServedOnUpstreamFailureOnlyUpToTheBound() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream =
        new Upstream(
            n -> {
              if (n == 1) {
                return "v1";
              }
              throw new StoreUnavailableException(
                  "store 'infisical' answered 503 (call " + n + ")");
            });
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");

    clock.advance(TTL);
    assertThat(text(cache.get(KEY, upstream))).as("just expired, upstream fails").isEqualTo("v1");
    assertThat(upstream.calls()).isEqualTo(2);

    clock.advance(STALE_IF_ERROR.minusMillis(1));
    assertThat(text(cache.get(KEY, upstream))).as("last moment inside the bound").isEqualTo("v1");
    manual.runAll();

    clock.advance(Duration.ofMillis(1));
    int before = upstream.calls();
    assertThatThrownBy(() -> cache.get(KEY, upstream))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("call " + (before + 1));
    assertThat(upstream.values.get(0).isClosed()).as("the stale value is wiped").isTrue();
    assertThat(cache.stats().staleServed()).isEqualTo(2);
  }

  @Test
  void whileServingStaleItRetriesInTheBackgroundWithBackoffAndRecovers() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    AtomicInteger failUntilCall = new AtomicInteger(3);
    Upstream upstream =
        new Upstream(
            n -> {
              if (n == 1 || n > failUntilCall.get()) {
                return "v" + n;
              }
              throw new StoreUnavailableException("store down");
            });
    cache.get(KEY, upstream).orElseThrow().close();
    clock.advance(TTL);
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    assertThat(upstream.calls()).isEqualTo(2);

    assertThat(text(cache.get(KEY, upstream))).as("inside the 1 s backoff").isEqualTo("v1");
    assertThat(manual.pending()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    assertThat(manual.runAll()).isEqualTo(1);
    assertThat(upstream.calls()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(1));
    cache.get(KEY, upstream).orElseThrow().close();
    assertThat(manual.pending()).as("the backoff doubled to 2 s").isZero();
    clock.advance(Duration.ofSeconds(1));
    cache.get(KEY, upstream).orElseThrow().close();
    manual.runAll();

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v4");
  }

  @Test
  void aRefusalIsNeverMaskedByAStaleValue() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream =
        new Upstream(
            n -> {
              if (n == 1) {
                return "v1";
              }
              throw new AccessDeniedException("server refused myapp");
            });
    cache.get(KEY, upstream).orElseThrow().close();
    clock.advance(TTL);

    assertThatThrownBy(() -> cache.get(KEY, upstream)).isInstanceOf(AccessDeniedException.class);
    assertThat(upstream.values.get(0).isClosed()).isTrue();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aFailedRefreshWithinTheTtlKeepsServingAndBacksOff() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream =
        new Upstream(
            n -> {
              if (n == 1) {
                return "v1";
              }
              throw new StoreUnavailableException("store down");
            });
    cache.get(KEY, upstream).orElseThrow().close();
    clock.advance(TTL.minus(REFRESH_AHEAD));
    cache.get(KEY, upstream).orElseThrow().close();
    manual.runAll();

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    assertThat(manual.pending()).as("no new refresh during the backoff").isZero();
    assertThat(upstream.calls()).isEqualTo(2);
  }

  @Test
  void remembersNotFoundForTheNegativeTtlOnly() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> n == 1 ? null : "v" + n);

    assertThat(cache.get(KEY, upstream)).isEmpty();
    clock.advance(NEGATIVE_TTL.minusMillis(1));
    assertThat(cache.get(KEY, upstream)).isEmpty();
    assertThat(upstream.calls()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
    assertThat(cache.stats().negativeHits()).isEqualTo(1);
  }

  @Test
  void aSecretDeletedUpstreamIsDroppedAndWipedAtTheNextReload() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> n == 1 ? "v1" : null);
    cache.get(KEY, upstream).orElseThrow().close();

    clock.advance(TTL);
    assertThat(cache.get(KEY, upstream)).isEmpty();
    assertThat(upstream.values.get(0).isClosed()).isTrue();
  }

  @Test
  void evictsTheLeastRecentlyUsedAndWipesIt() {
    SecretCache cache =
        new SecretCache(
            new CacheOptions(TTL, REFRESH_AHEAD, STALE_IF_ERROR, NEGATIVE_TTL, 2), clock, manual);
    Upstream a = new Upstream(n -> "a" + n);
    Upstream b = new Upstream(n -> "b" + n);
    Upstream c = new Upstream(n -> "c" + n);
    cache.get("s://x/a", a).orElseThrow().close();
    cache.get("s://x/b", b).orElseThrow().close();
    cache.get("s://x/a", a).orElseThrow().close();

    cache.get("s://x/c", c).orElseThrow().close();

    assertThat(cache.size()).isEqualTo(2);
    assertThat(b.values.get(0).isClosed()).as("b was least recently used").isTrue();
    assertThat(a.values.get(0).isClosed()).isFalse();
    assertThat(cache.stats().evictions()).isEqualTo(1);
    cache.get("s://x/a", a).orElseThrow().close();
    assertThat(a.calls()).isEqualTo(1);
    cache.get("s://x/b", b).orElseThrow().close();
    assertThat(b.calls()).isEqualTo(2);
  }

  @Test
  void invalidateWipesTheValueAndTheNextReadAsksUpstream() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n);
    cache.get(KEY, upstream).orElseThrow().close();

    cache.invalidate(KEY);

    assertThat(upstream.values.get(0).isClosed()).isTrue();
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
  }

  @Test
  void invalidateIfForgetsOnlyMatchingKeys() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream one = new Upstream(n -> "one" + n);
    Upstream two = new Upstream(n -> "two" + n);
    cache.get("k8s://ns/s#a", one).orElseThrow().close();
    cache.get("k8s://other/s#a", two).orElseThrow().close();

    cache.invalidateIf(k -> k.startsWith("k8s://ns/"));

    assertThat(one.values.get(0).isClosed()).isTrue();
    assertThat(two.values.get(0).isClosed()).isFalse();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void aLoadInFlightDuringInvalidationIsNotInstalled() throws Exception {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    CountDownLatch release = new CountDownLatch(1);
    Upstream upstream = new Upstream(n -> "v" + n).blockingOn(1, release);
    ExecutorService reader = pool(1);
    Future<String> first = reader.submit(() -> text(cache.get(KEY, upstream)));
    upstream.awaitStarted(1);

    cache.invalidate(KEY);
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(upstream.values.get(0).isClosed()).as("not kept anywhere").isTrue();
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
  }

  @Test
  void anErrorWithoutACachedValueReachesEveryWaiterAndIsNotRemembered() throws Exception {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    CountDownLatch release = new CountDownLatch(1);
    Upstream upstream =
        new Upstream(
                n -> {
                  if (n == 1) {
                    throw new StoreUnavailableException("store down");
                  }
                  return "v" + n;
                })
            .blockingOn(1, release);
    ExecutorService readers = pool(4);
    List<Future<Optional<Secret>>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(readers.submit(() -> cache.get(KEY, upstream)));
    }
    Await.until("3 readers join the load", () -> cache.stats().joinedLoads() == 3);
    release.countDown();

    for (Future<Optional<Secret>> result : results) {
      assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreUnavailableException.class);
    }
    assertThat(cache.size()).isZero();
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
  }

  @Test
  void aSecretThatExpiresBeforeTheTtlIsReloadedAtItsOwnExpiry() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n).expiringAfter(clock, Duration.ofMinutes(1));
    cache.get(KEY, upstream).orElseThrow().close();

    clock.advance(Duration.ofMinutes(1));

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
  }

  @Test
  void aRejectedBackgroundRefreshStillServesTheReader() {
    SecretCache cache =
        new SecretCache(
            OPTIONS,
            clock,
            task -> {
              throw new RejectedExecutionException("full");
            });
    Upstream upstream = new Upstream(n -> "v" + n);
    cache.get(KEY, upstream).orElseThrow().close();
    clock.advance(TTL.minus(REFRESH_AHEAD));

    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v1");
    clock.advance(REFRESH_AHEAD);
    assertThat(text(cache.get(KEY, upstream))).isEqualTo("v2");
  }

  @Test
  void closeWipesEverythingAndRefusesFurtherReads() {
    SecretCache cache = new SecretCache(OPTIONS, clock, manual);
    Upstream upstream = new Upstream(n -> "v" + n);
    cache.get(KEY, upstream).orElseThrow().close();

    cache.close();

    assertThat(upstream.values.get(0).isClosed()).isTrue();
    assertThatThrownBy(() -> cache.get(KEY, upstream)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesOptionsThatDisableCaching() {
    assertThatThrownBy(() -> new SecretCache(CacheOptions.DISABLED, clock, manual))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private ExecutorService pool(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    pools.add(pool);
    return pool;
  }

  private static String text(Optional<Secret> secret) {
    try (Secret s = secret.orElseThrow()) {
      return s.value().revealString();
    }
  }

  /**
   * A scripted upstream: call n answers {@code script.apply(n)} (null for not found, or throws),
   * optionally blocking on a latch first. It keeps every value it handed out.
   */
  private static final class Upstream implements SecretCache.Loader {
    private final IntFunction<String> script;
    private final AtomicInteger calls = new AtomicInteger();
    final List<SecretValue> values = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int blockOn = -1;
    private volatile CountDownLatch release;
    private final List<CountDownLatch> started = new ArrayList<>();
    private Duration expiresAfter;
    private MutableClock expiryClock;

    Upstream(IntFunction<String> script) {
      this.script = script;
      for (int i = 0; i < 8; i++) {
        started.add(new CountDownLatch(1));
      }
    }

    Upstream blockingOn(int call, CountDownLatch latch) {
      this.blockOn = call;
      this.release = latch;
      return this;
    }

    Upstream expiringAfter(MutableClock clock, Duration duration) {
      this.expiryClock = clock;
      this.expiresAfter = duration;
      return this;
    }

    int calls() {
      return calls.get();
    }

    void awaitStarted(int call) throws InterruptedException {
      assertThat(started.get(call - 1).await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public Optional<Secret> load() {
      int n = calls.incrementAndGet();
      if (n <= started.size()) {
        started.get(n - 1).countDown();
      }
      if (n == blockOn) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      String text = script.apply(n);
      if (text == null) {
        return Optional.empty();
      }
      SecretValue value = SecretValue.ofString(text);
      values.add(value);
      SecretMetadata metadata = SecretMetadata.ofVersion(Integer.toString(n));
      if (expiresAfter != null) {
        metadata = metadata.withExpires(expiryClock.instant().plus(expiresAfter));
      }
      return Optional.of(
          new Secret(SecretRef.parse(KEY), Classification.CREDENTIAL, value, metadata));
    }
  }
}
