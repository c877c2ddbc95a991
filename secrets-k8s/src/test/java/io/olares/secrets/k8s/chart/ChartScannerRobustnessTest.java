package io.olares.secrets.k8s.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.k8s.support.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mangled copies of a real-shaped chart (cut short, braces and quotes dropped in, lines shuffled,
 * bytes flipped) never make the scan throw: whatever cannot be read is reported as skipped.
 */
class ChartScannerRobustnessTest {
  private static final String TOKENS = "{{}}\"':-|>[]#&*!%@`\n\t ";

  @TempDir Path dir;

  @Test
  void threeHundredMangledTemplatesNeverCrashTheScan() throws Exception {
    scanMangled(300, 20261204L);
  }

  @Test
  @Tag("reliability")
  void tenThousandMangledTemplatesNeverCrashTheScan() throws Exception {
    scanMangled(10_000, 42L);
  }

  private void scanMangled(int count, long seed) throws Exception {
    Path source = TestData.path("olares/charts/notes-app");
    String deployment = Files.readString(source.resolve("templates/deployment.yaml"));
    String secret = Files.readString(source.resolve("templates/secret.yaml"));
    Random random = new Random(seed);
    Path chart = dir.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.copy(source.resolve("Chart.yaml"), chart.resolve("Chart.yaml"));
    Files.writeString(chart.resolve("templates/secret.yaml"), secret);

    for (int i = 0; i < count; i++) {
      byte[] mangled = mangle(deployment, random);
      Files.write(chart.resolve("templates/deployment.yaml"), mangled);

      ScanResult result = ChartScanner.scan(chart);

      assertThat(result.findings().size()).isLessThanOrEqualTo(20);
      assertThat(result.toText()).doesNotContain("hunter2");
      assertThat(result.toJson()).isNotEmpty();
    }
  }

  private static byte[] mangle(String text, Random random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(6);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(sb.length() + 1);
      switch (random.nextInt(5)) {
        case 0 -> sb.setLength(at);
        case 1 -> sb.insert(at, TOKENS.charAt(random.nextInt(TOKENS.length())));
        case 2 -> sb.insert(at, "{{ ");
        case 3 -> {
          if (at < sb.length()) {
            sb.deleteCharAt(at);
          }
        }
        default -> {
          String[] lines = sb.toString().split("\n", -1);
          int a = random.nextInt(lines.length);
          int b = random.nextInt(lines.length);
          String t = lines[a];
          lines[a] = lines[b];
          lines[b] = t;
          sb = new StringBuilder(String.join("\n", lines));
        }
      }
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(10) == 0 && bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return bytes;
  }
}
