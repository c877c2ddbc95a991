package io.olares.secrets.cli;

import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.Secrets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rm", description = "Deletes a secret; exit 3 when there was none.")
final class RmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF")
  String ref;

  @Override
  public Integer call() {
    SecretRef parsed = SecretRef.parse(ref);
    try (Secrets secrets = new CliContext(GlobalOptions.of(spec)).open(Optional.empty())) {
      if (!secrets.delete(parsed)) {
        throw new SecretNotFoundException("nothing to delete at " + parsed);
      }
    }
    return ExitCodes.OK;
  }
}
