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
    String[] head = {"CLASSIFICATION", "STORAGE", "RULE OF USE", "EXPOSURE"};
    int[] width = new int[3];
    for (int i = 0; i < 3; i++) {
      width[i] = head[i].length();
    }
    for (Classification c : Classification.values()) {
      width[0] = Math.max(width[0], c.name().length());
      width[1] = Math.max(width[1], c.storage().length());
      width[2] = Math.max(width[2], c.ruleOfUse().length());
    }
    String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n";
    out.printf(format, (Object[]) head);
    for (Classification c : Classification.values()) {
      out.printf(format, c.name(), c.storage(), c.ruleOfUse(), c.exposure());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
