package io.olares.secrets.benchmarks;

import io.olares.secrets.vault.KdfParams;
import io.olares.secrets.vault.internal.Argon2id;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Argon2id at the vault's default parameters ({@link KdfParams#DEFAULT}): the vault's derivation
 * (Bouncy Castle) beside the {@code argon2} reference tool (Debian package {@code argon2}), run as
 * a process per hash with the same password, salt, memory, iterations, parallelism and output
 * length. Before measuring, the set-up checks that both produce the same hash.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class Argon2Benchmark {
  static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
  static final String SALT = "olares-bench-salt-16";
  static final int LENGTH = 32;
  static final KdfParams PARAMS = KdfParams.DEFAULT;

  @Setup(Level.Trial)
  public void checkBothAgree() throws Exception {
    String tool = HexFormat.of().formatHex(argon2Tool());
    String sdk = HexFormat.of().formatHex(derive());
    if (!tool.equals(sdk)) {
      throw new IllegalStateException(
          "the argon2 tool and the vault disagree at " + PARAMS + ": " + tool + " vs " + sdk);
    }
  }

  @Benchmark
  public byte[] sdk() {
    return derive();
  }

  @Benchmark
  public byte[] cTool() throws IOException, InterruptedException {
    return argon2Tool();
  }

  private static byte[] derive() {
    return Argon2id.derive(
        PASSWORD,
        SALT.getBytes(StandardCharsets.UTF_8),
        PARAMS.memoryKib(),
        PARAMS.iterations(),
        PARAMS.parallelism(),
        null,
        null,
        LENGTH);
  }

  /** Runs {@code argon2 SALT -id -t T -k M -p P -l L -r} with the password on standard input. */
  private static byte[] argon2Tool() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "argon2",
                SALT,
                "-id",
                "-t",
                Integer.toString(PARAMS.iterations()),
                "-k",
                Integer.toString(PARAMS.memoryKib()),
                "-p",
                Integer.toString(PARAMS.parallelism()),
                "-l",
                Integer.toString(LENGTH),
                "-r")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(PASSWORD);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("argon2 failed: " + out);
    }
    return HexFormat.of().parseHex(out);
  }
}
