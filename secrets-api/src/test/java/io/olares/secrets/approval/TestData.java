package io.olares.secrets.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/** The shared test data folder; tests skip with a reason where it is absent. */
final class TestData {
  private TestData() {}

  static Path file(String relative) {
    String base = System.getProperty("olares.shared.testdata");
    Path path = base == null ? null : Path.of(base).resolve(relative);
    Assumptions.assumeTrue(
        path != null && Files.isRegularFile(path),
        "shared test data "
            + relative
            + " not found (system property olares.shared.testdata = "
            + base
            + "); known-answer vectors skipped");
    return path;
  }

  static JsonNode json(String relative) {
    try {
      return new ObjectMapper().readTree(file(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
