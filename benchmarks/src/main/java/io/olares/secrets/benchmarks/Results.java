package io.olares.secrets.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Side results a benchmark writes for the report, beside JMH's own JSON. */
final class Results {
  /** The system property naming the directory side results go to; nothing is written without. */
  static final String PROPERTY = "olares.bench.out";

  private Results() {}

  /** Writes {@code json} to {@code name} in the results directory, if one is configured. */
  static void write(String name, String json) throws IOException {
    String dir = System.getProperty(PROPERTY);
    if (dir != null && !dir.isBlank()) {
      Path out = Path.of(dir);
      Files.createDirectories(out);
      Files.writeString(out.resolve(name), json + "\n");
    }
  }
}
