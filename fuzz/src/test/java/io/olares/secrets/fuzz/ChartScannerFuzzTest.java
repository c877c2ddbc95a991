package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.k8s.chart.ChartScanner;
import io.olares.secrets.k8s.chart.Finding;
import io.olares.secrets.k8s.chart.ScanResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The chart scanner on charts made of two fuzzed templates: it documents that it never fails on a
 * template it cannot read or parse, so any exception is a finding; every finding names a template
 * of the chart. Input layout: two bytes (big-endian) giving the length of {@code secret.yaml},
 * those bytes, then {@code deployment.yaml}.
 */
class ChartScannerFuzzTest {
  private static Path chart;

  private static synchronized Path chart() {
    if (chart == null) {
      try {
        chart = Files.createTempDirectory("fuzz-chart");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: notes-app\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return chart;
  }

  @FuzzTest(maxDuration = "60s")
  void chartsScanWithoutFailing(byte[] input) throws IOException {
    Path dir = chart();
    int split = input.length < 2 ? 0 : ((input[0] & 0xff) << 8) | (input[1] & 0xff);
    int start = Math.min(2, input.length);
    int end = Math.min(input.length, start + split);
    Files.write(dir.resolve("templates/secret.yaml"), Arrays.copyOfRange(input, start, end));
    Files.write(
        dir.resolve("templates/deployment.yaml"), Arrays.copyOfRange(input, end, input.length));
    ScanResult result;
    try {
      result = ChartScanner.scan(dir);
    } catch (RuntimeException e) {
      throw new AssertionError("the scan failed with " + e.getClass().getName(), e);
    }
    for (Finding f : result.findings()) {
      if (f.file() == null || !f.file().startsWith("templates/")) {
        throw new AssertionError("a finding names no template of the chart: " + f.file());
      }
      f.describe();
    }
    result.toText();
    result.toJson();
  }
}
