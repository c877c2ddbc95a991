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
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.testing.MemoryStoreProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap bytes per cached small secret at 100,000 entries: the facade's cache (filled by reads
 * through {@link Secrets}) beside Caffeine and {@code ConcurrentHashMap} holding the same keys and
 * values, in one JVM. Each figure is the growth of the used heap after forced collections, divided
 * by the number of entries; each subject is measured {@value #ROUNDS} times and the median kept.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.olares.secrets.benchmarks.HeapPerEntry [out.json]}.
 * Prints one JSON object: bytes per entry for each subject, and the parameters.
 */
public final class HeapPerEntry {
  static final int ENTRIES = 100_000;
  static final int VALUE_BYTES = 24;
  static final int ROUNDS = 3;

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapPerEntry() {}

  public static void main(String[] args) throws Exception {
    SecretRef[] refs = new SecretRef[ENTRIES];
    byte[][] values = new byte[ENTRIES][];
    for (int i = 0; i < ENTRIES; i++) {
      refs[i] = SecretRef.parse("mem://bench/service-" + i + "/API_TOKEN");
      values[i] = value(i);
    }
    List<Double> facade = new ArrayList<>();
    List<Double> caffeine = new ArrayList<>();
    List<Double> map = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      map.add(measureMap(refs, values));
      caffeine.add(measureCaffeine(refs, values));
      facade.add(measureFacade(refs, values));
    }
    String json =
        String.format(
            Locale.ROOT,
            "{\"entries\": %d, \"valueBytes\": %d, \"rounds\": %d, \"bytesPerEntry\": {"
                + "\"facade\": %.1f, \"caffeine\": %.1f, \"concurrentHashMap\": %.1f},"
                + " \"samples\": {\"facade\": %s, \"caffeine\": %s, \"concurrentHashMap\": %s}}",
            ENTRIES,
            VALUE_BYTES,
            ROUNDS,
            median(facade),
            median(caffeine),
            median(map),
            facade,
            caffeine,
            map);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), json + "\n");
    }
    PrintStream out = System.out;
    out.println(json);
  }

  private static byte[] value(int i) {
    StringBuilder text = new StringBuilder("tok-").append(i).append('-');
    while (text.length() < VALUE_BYTES) {
      text.append('x');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static double measureMap(SecretRef[] refs, byte[][] values) {
    long before = settledHeap();
    ConcurrentHashMap<String, SecretValue> map = new ConcurrentHashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      map.put(refs[i].toString(), SecretValue.ofBytes(values[i]));
    }
    double perEntry = (settledHeap() - before) / (double) ENTRIES;
    check(map.size());
    map.values().forEach(SecretValue::close);
    return perEntry;
  }

  private static double measureCaffeine(SecretRef[] refs, byte[][] values) {
    long before = settledHeap();
    Cache<String, SecretValue> cache =
        Caffeine.newBuilder()
            .maximumSize(2L * ENTRIES)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();
    for (int i = 0; i < ENTRIES; i++) {
      cache.put(refs[i].toString(), SecretValue.ofBytes(values[i]));
    }
    cache.cleanUp();
    double perEntry = (settledHeap() - before) / (double) ENTRIES;
    check((int) cache.estimatedSize());
    cache.asMap().values().forEach(SecretValue::close);
    return perEntry;
  }

  private static double measureFacade(SecretRef[] refs, byte[][] values) throws IOException {
    Path dir = Files.createTempDirectory("olares-bench-heap");
    AsyncAuditSink audit = JsonLinesAuditSink.openAsync(dir.resolve("audit.jsonl"));
    CacheOptions options =
        new CacheOptions(
            CacheOptions.DEFAULTS.ttl(),
            CacheOptions.DEFAULTS.refreshAhead(),
            CacheOptions.DEFAULTS.staleIfError(),
            CacheOptions.DEFAULTS.negativeTtl(),
            2 * ENTRIES);
    try (Secrets secrets =
        Secrets.builder()
            .app("bench")
            .discovery(false)
            .provider(new MemoryStoreProvider())
            .storeConfig(
                new StoreConfig(
                    "mem", "memory", Map.of("classification", "application_credential")))
            .policy(DefaultPolicy.builtIn())
            .cache(options)
            .audit(audit)
            .build()) {
      for (int i = 0; i < ENTRIES; i++) {
        try (SecretValue v = SecretValue.ofBytes(values[i])) {
          secrets.put(refs[i], v);
        }
      }
      audit.flush();
      long before = settledHeap();
      for (int i = 0; i < ENTRIES; i++) {
        try (Secret s = secrets.get(refs[i])) {
          if (s.value().length() != VALUE_BYTES) {
            throw new IllegalStateException("read " + refs[i] + " returned a wrong length");
          }
        }
      }
      audit.flush();
      double perEntry = (settledHeap() - before) / (double) ENTRIES;
      check((int) secrets.cacheStats().orElseThrow().loads());
      return perEntry;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void check(int count) {
    if (count != ENTRIES) {
      throw new IllegalStateException("expected " + ENTRIES + " entries, found " + count);
    }
  }

  /** Used heap once repeated full collections stop shrinking it. */
  private static long settledHeap() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (used >= last - 1024) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }

  private static double median(List<Double> samples) {
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }
}
