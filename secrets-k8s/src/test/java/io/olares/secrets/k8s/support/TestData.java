package io.olares.secrets.k8s.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared test data; a test whose data is absent is skipped with the reason. */
public final class TestData {
  private TestData() {}

  /** The shared test data folder, or a skip where it is absent. */
  public static Path root() {
    String dir = System.getProperty("olares.shared.testdata");
    assumeTrue(dir != null, "system property olares.shared.testdata is not set");
    Path p = Path.of(dir);
    assumeTrue(Files.isDirectory(p), "shared test data folder " + p + " is absent");
    return p;
  }

  /** A file or folder below the shared test data, or a skip where it is absent. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    assumeTrue(Files.exists(p), "test data " + p + " is absent");
    return p;
  }
}
