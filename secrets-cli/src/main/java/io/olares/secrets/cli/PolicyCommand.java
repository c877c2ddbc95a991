package io.olares.secrets.cli;

import io.olares.secrets.provider.manifest.OlaresManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", description = "Prints the grants an OlaresManifest.yaml gives (as YAML).")
final class PolicyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST")
  Path manifest;

  @Option(
      names = "--values",
      paramLabel = "V",
      description = "A Helm values file for rendering .Values lookups.")
  Path values;

  @Override
  public Integer call() {
    OlaresManifest parsed = OlaresManifest.parse(manifest, values);
    PrintWriter out = spec.commandLine().getOut();
    out.print(parsed.toYaml());
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    for (String note : parsed.notes()) {
      err.println("note: " + note);
    }
    err.flush();
    return ExitCodes.OK;
  }
}
