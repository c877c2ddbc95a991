package io.olares.secrets.benchmarks;

import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A put of a new item into a SQLite vault that already holds 100 or 100,000 items: each put is one
 * transaction (row, bucket counter and digest, forced to disk). The target is that the larger vault
 * costs at most 1.5 × the smaller one. The item is deleted again after each put, outside the
 * measured time, so that every put meets a vault of exactly the stated size (otherwise the small
 * vault would grow to thousands of items during the run).
 *
 * <p>Filling a vault with 100,000 items takes minutes (every put is a durable transaction), so the
 * filled vault is built once and kept in the directory named by the system property {@value
 * #FIXTURES} (default: the temporary directory); each trial works on a copy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class VaultPutBenchmark {
  static final String FIXTURES = "olares.bench.fixtures";

  @Param({"100", "100000"})
  public int items;

  private Path dir;
  private Vault vault;
  private long next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path fixture = fixture(items);
    dir = Files.createTempDirectory("olares-bench-vault-put");
    Path file = dir.resolve("vault.db");
    BenchVaults.copy(fixture, file);
    vault =
        Vault.open(
            BenchVaults.url(file), BenchVaults.PASSPHRASE.toCharArray(), BenchVaults.options());
    if (vault.list("").size() != items) {
      throw new IllegalStateException("the fixture vault does not hold " + items + " items");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vault.close();
    BenchVaults.deleteTree(dir);
  }

  @Benchmark
  public void put() {
    BenchVaults.put(vault, "new/item-" + next, "sk_live_0123456789abcdefghijklmnop");
  }

  /** Takes the measured put's item out again, untimed. */
  @TearDown(Level.Invocation)
  public void deletePutItem() {
    if (!vault.delete("new/item-" + next++)) {
      throw new IllegalStateException("the measured put left no item to delete");
    }
  }

  /** The vault file holding {@code count} items, built the first time it is asked for. */
  static synchronized Path fixture(int count) throws IOException {
    Path root =
        Path.of(System.getProperty(FIXTURES, System.getProperty("java.io.tmpdir")))
            .resolve("olares-bench-fixtures");
    Files.createDirectories(root);
    Path file = root.resolve("vault-" + count + ".db");
    if (Files.exists(file)) {
      return file;
    }
    Path building = root.resolve("vault-" + count + ".building.db");
    BenchVaults.deleteTree(building);
    try (Vault v = BenchVaults.create(building, DeviceKey.generate())) {
      for (int i = 0; i < count; i++) {
        BenchVaults.put(v, "svc-" + (i % 1000) + "/item-" + i, "value-" + i + "-0123456789abcdef");
      }
    }
    Files.deleteIfExists(building.resolveSibling(building.getFileName() + "-wal"));
    Files.deleteIfExists(building.resolveSibling(building.getFileName() + "-shm"));
    Files.move(building, file);
    return file;
  }
}
