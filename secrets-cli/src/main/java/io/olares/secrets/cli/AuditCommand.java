package io.olares.secrets.cli;

import io.olares.secrets.audit.AuditVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    description = "Audit trail tools.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "verify",
      description = "Checks an audit file's hash chain; exit 6 names the first broken line.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      AuditVerifier.Result result;
      try {
        result = AuditVerifier.verify(file);
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: cannot read " + file + ": " + e.getMessage());
        return ExitCodes.USAGE;
      }
      if (result.ok()) {
        spec.commandLine().getOut().println(result.describe());
        return ExitCodes.OK;
      }
      spec.commandLine().getErr().println(result.describe());
      return ExitCodes.INTEGRITY;
    }
  }
}
