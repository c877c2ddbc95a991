package io.olares.secrets.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared test data folder, which the build names in the system property {@value #PROPERTY}.
 * Where the folder, or the part a test needs, is absent, the calling test is skipped with a message
 * that says what is missing, rather than failing.
 */
public final class TestData {
  /** The system property that holds the folder's path. */
  public static final String PROPERTY = "olares.shared.testdata";

  private TestData() {}

  /** The shared test data folder; skips the calling test where it is not configured or absent. */
  public static Path dir() {
    String configured = System.getProperty(PROPERTY);
    Assumptions.assumeTrue(
        configured != null && !configured.isBlank(),
        () -> "skipped: system property " + PROPERTY + " is not set, so no shared test data");
    Path dir = Path.of(configured).toAbsolutePath().normalize();
    Assumptions.assumeTrue(
        Files.isDirectory(dir),
        () -> "skipped: shared test data folder " + dir + " (" + PROPERTY + ") does not exist");
    return dir;
  }

  /**
   * The file or folder {@code sub} inside the shared test data; skips the calling test where it is
   * absent.
   */
  public static Path require(String sub) {
    Path dir = dir();
    Path path = dir.resolve(sub).normalize();
    if (!path.startsWith(dir)) {
      throw new IllegalArgumentException(
          "test data path '" + sub + "' leaves the test data folder");
    }
    Assumptions.assumeTrue(
        Files.exists(path), () -> "skipped: shared test data " + path + " does not exist");
    return path;
  }
}
