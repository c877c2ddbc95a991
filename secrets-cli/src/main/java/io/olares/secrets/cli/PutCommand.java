package io.olares.secrets.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "put", description = "Writes a value read from stdin.")
final class PutCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", hidden = true)
  java.util.List<String> args;

  @Unmatched java.util.List<String> unmatched;

  @Override
  public Integer call() {
    return Pending.missing(spec, "secrets-api");
  }
}
