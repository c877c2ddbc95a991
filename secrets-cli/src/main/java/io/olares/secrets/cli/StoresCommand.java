package io.olares.secrets.cli;

import io.olares.secrets.Secrets;
import io.olares.secrets.spi.StoreProviders;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "stores",
    description =
        "Lists the store types found on the class path, their classifications and module.")
final class StoresCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StoreProviders found = Secrets.discoverProviders();
    PrintWriter out = spec.commandLine().getOut();
    java.util.List<String[]> rows = new java.util.ArrayList<>();
    rows.add(new String[] {"TYPE", "CLASSIFICATIONS", "MODULE"});
    for (StoreProviders.Entry e : found.providers()) {
      String classes =
          e.classifications().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
      rows.add(new String[] {e.type(), classes, moduleOf(e)});
    }
    int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(4);
    int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(4);
    for (String[] r : rows) {
      out.printf("%-" + w0 + "s  %-" + w1 + "s  %s%n", (Object[]) r);
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    for (StoreProviders.Problem p : found.problems()) {
      err.println("skipped " + p.providerClass() + ": " + p.problem());
    }
    err.flush();
    return ExitCodes.OK;
  }

  /** The Maven module a provider comes from: its package names it even inside one shaded jar. */
  static String moduleOf(StoreProviders.Entry e) {
    String prefix = "io.olares.secrets.";
    if (e.providerClass().startsWith(prefix)) {
      String rest = e.providerClass().substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot > 0) {
        return "secrets-" + rest.substring(0, dot);
      }
    }
    return e.module();
  }
}
