package io.olares.secrets.k8s.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.k8s.support.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scan of the shared notes-app chart reports exactly what its expected-findings.md lists. */
class NotesAppScanTest {
  @Test
  void reportsExactlyTheExpectedFindings() throws Exception {
    Path chart = TestData.path("olares/charts/notes-app");
    List<String> expected =
        Files.readAllLines(chart.resolve("expected-findings.md")).stream()
            .filter(l -> l.startsWith("- "))
            .map(l -> l.substring(2).trim())
            .toList();
    assertThat(expected).as("expected-findings.md lists findings").isNotEmpty();

    ScanResult result = ChartScanner.scan(chart);

    assertThat(result.findings()).extracting(Finding::describe).containsExactlyElementsOf(expected);
    assertThat(result.skipped()).isEmpty();
    assertThat(result.chart()).isEqualTo("notes");
  }

  @Test
  void onlyTheReferenceToAnUndefinedSecretIsAWarning() {
    ScanResult result = ChartScanner.scan(TestData.path("olares/charts/notes-app"));

    assertThat(result.findings())
        .filteredOn(f -> f.severity() == Severity.WARNING)
        .extracting(Finding::variable)
        .containsExactly("SMTP_PASSWORD");
    assertThat(result.count(Severity.ERROR)).isEqualTo(4);
    assertThat(result.hasFindings()).isTrue();
  }

  @Test
  void neitherRenderingRepeatsALiteralSecret() {
    ScanResult result = ChartScanner.scan(TestData.path("olares/charts/notes-app"));

    assertThat(result.toText())
        .doesNotContain("hunter2")
        .contains("5 findings (4 errors, 1 warning)");
    assertThat(result.toJson())
        .doesNotContain("hunter2")
        .contains("\"variable\" : \"ADMIN_TOKEN\"");
  }
}
