package io.olares.secrets.cli;

import io.olares.secrets.Classification;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "classes", description = "Prints the classification table.")
final class ClassesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-24s %-42s %-40s %s%n";
    out.printf(format, "CLASSIFICATION", "STORAGE", "RULE OF USE", "EXPOSURE");
    for (Classification c : Classification.values()) {
      out.printf(format, c.name(), c.storage(), c.ruleOfUse(), c.exposure());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
