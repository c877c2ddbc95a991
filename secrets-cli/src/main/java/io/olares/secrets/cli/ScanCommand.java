package io.olares.secrets.cli;

import io.olares.secrets.k8s.chart.ChartScanner;
import io.olares.secrets.k8s.chart.ScanResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "scan",
    description =
        "Finds plaintext secrets in pod env and secretKeyRefs that point nowhere in a Helm chart;"
            + " exit 1 when there are findings.")
final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "CHART_DIR")
  Path chartDir;

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (!Files.isDirectory(chartDir)) {
      throw new IllegalArgumentException(chartDir + " is not a directory");
    }
    ScanResult result = ChartScanner.scan(chartDir);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? result.toJson() : result.toText());
    out.flush();
    return result.hasFindings() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
