package io.olares.secrets.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.audit.AsyncAuditSink;
import io.olares.secrets.audit.JsonLinesAuditSink;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.cache.SecretCache;
import io.olares.secrets.config.AuditSettings;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.testing.MemoryStoreProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A cached read through the {@link Secrets} facade (built-in policy deciding, audit on through its
 * asynchronous JSON-lines sink, default audit settings) beside Caffeine's {@code getIfPresent} and
 * {@code ConcurrentHashMap.get} on the same keys and values, with one and two threads.
 *
 * <p>Three diagnostic variants show where the facade's time goes: the facade with the audit tally
 * off, so that every read is its own line in the same kind of file ({@code facadeEveryRead}); the
 * facade with the tally off and a sink that drops every event ({@code facadeAuditOff}); and the
 * facade's cache alone ({@code secretCacheOnly}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CachedReadBenchmark {
  /** How many distinct secrets the readers cycle through. */
  static final int KEYS = 1024;

  /** The calling app; the secrets are its own application credentials. */
  static final String APP = "bench";

  /** The shared subjects: the facade, its rivals, all holding the same keys and values. */
  @State(Scope.Benchmark)
  public static class Subjects {
    Path dir;
    Secrets facade;
    Secrets facadeEveryRead;
    Secrets facadeAuditOff;
    SecretCache cache;
    ExecutorService refresher;
    Cache<String, SecretValue> caffeine;
    ConcurrentHashMap<String, SecretValue> map;
    SecretRef[] refs;
    String[] keys;
    Secret[] loaded;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("olares-bench-read");
      AsyncAuditSink audit = JsonLinesAuditSink.openAsync(dir.resolve("audit.jsonl"));
      facade = facade(audit, AuditSettings.DEFAULT_TALLY);
      AsyncAuditSink everyRead = JsonLinesAuditSink.openAsync(dir.resolve("every-read.jsonl"));
      facadeEveryRead = facade(everyRead, Duration.ZERO);
      facadeAuditOff = facade(event -> {}, Duration.ZERO);
      refresher = Executors.newSingleThreadExecutor();
      cache = new SecretCache(CacheOptions.DEFAULTS, Clock.systemUTC(), refresher);
      caffeine =
          Caffeine.newBuilder()
              .maximumSize(CacheOptions.DEFAULTS.maxEntries())
              .expireAfterWrite(CacheOptions.DEFAULTS.ttl())
              .build();
      map = new ConcurrentHashMap<>();
      refs = new SecretRef[KEYS];
      keys = new String[KEYS];
      loaded = new Secret[KEYS];
      for (int i = 0; i < KEYS; i++) {
        refs[i] = SecretRef.parse("mem://" + APP + "/service-" + i + "/API_TOKEN");
        keys[i] = refs[i].toString();
        byte[] value = ("tok-" + i + "-0123456789abcdef").getBytes(StandardCharsets.UTF_8);
        try (SecretValue v = SecretValue.ofBytes(value)) {
          facade.put(refs[i], v);
          facadeEveryRead.put(refs[i], v);
          facadeAuditOff.put(refs[i], v);
          caffeine.put(keys[i], v.copy());
          map.put(keys[i], v.copy());
        }
        // warm the facades' caches and the bare cache
        facade.get(refs[i]).close();
        facadeEveryRead.get(refs[i]).close();
        facadeAuditOff.get(refs[i]).close();
        loaded[i] = facadeAuditOff.get(refs[i]);
        Secret source = loaded[i];
        cache.get(keys[i], () -> Optional.of(source.copy())).ifPresent(Secret::close);
      }
    }

    private static Secrets facade(io.olares.secrets.audit.AuditSink audit, Duration tally) {
      return Secrets.builder()
          .app(APP)
          .discovery(false)
          .provider(new MemoryStoreProvider())
          .storeConfig(
              new StoreConfig("mem", "memory", Map.of("classification", "application_credential")))
          .policy(DefaultPolicy.builtIn())
          .cache(CacheOptions.DEFAULTS)
          .audit(audit)
          .auditTally(tally)
          .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      facade.close();
      facadeEveryRead.close();
      facadeAuditOff.close();
      cache.close();
      refresher.shutdownNow();
      for (Secret s : loaded) {
        s.close();
      }
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Each reader thread walks the keys from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      next = (int) (Thread.currentThread().getId() * 389) & (KEYS - 1);
    }

    int advance() {
      int i = next;
      next = (i + 1) & (KEYS - 1);
      return i;
    }
  }

  private static int facadeRead(Secrets facade, SecretRef ref) {
    try (Secret s = facade.get(ref)) {
      return s.value().length();
    }
  }

  private static int cacheRead(SecretCache cache, String key, Secret source) {
    Optional<Secret> found = cache.get(key, () -> Optional.of(source.copy()));
    try (Secret s = found.orElseThrow()) {
      return s.value().length();
    }
  }

  // ------------------------------------------------------------------ one thread

  @Benchmark
  @Threads(1)
  public int facade_t1(Subjects s, Cursor c) {
    return facadeRead(s.facade, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(1)
  public SecretValue caffeine_t1(Subjects s, Cursor c) {
    return s.caffeine.getIfPresent(s.keys[c.advance()]);
  }

  @Benchmark
  @Threads(1)
  public SecretValue concurrentHashMap_t1(Subjects s, Cursor c) {
    return s.map.get(s.keys[c.advance()]);
  }

  @Benchmark
  @Threads(1)
  public int facadeEveryRead_t1(Subjects s, Cursor c) {
    return facadeRead(s.facadeEveryRead, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(1)
  public int facadeAuditOff_t1(Subjects s, Cursor c) {
    return facadeRead(s.facadeAuditOff, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(1)
  public int secretCacheOnly_t1(Subjects s, Cursor c) {
    int i = c.advance();
    return cacheRead(s.cache, s.keys[i], s.loaded[i]);
  }

  // ------------------------------------------------------------------ two threads

  @Benchmark
  @Threads(2)
  public int facade_t2(Subjects s, Cursor c) {
    return facadeRead(s.facade, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(2)
  public SecretValue caffeine_t2(Subjects s, Cursor c) {
    return s.caffeine.getIfPresent(s.keys[c.advance()]);
  }

  @Benchmark
  @Threads(2)
  public SecretValue concurrentHashMap_t2(Subjects s, Cursor c) {
    return s.map.get(s.keys[c.advance()]);
  }

  @Benchmark
  @Threads(2)
  public int facadeEveryRead_t2(Subjects s, Cursor c) {
    return facadeRead(s.facadeEveryRead, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(2)
  public int facadeAuditOff_t2(Subjects s, Cursor c) {
    return facadeRead(s.facadeAuditOff, s.refs[c.advance()]);
  }

  @Benchmark
  @Threads(2)
  public int secretCacheOnly_t2(Subjects s, Cursor c) {
    int i = c.advance();
    return cacheRead(s.cache, s.keys[i], s.loaded[i]);
  }
}
