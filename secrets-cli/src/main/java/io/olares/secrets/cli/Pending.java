package io.olares.secrets.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Answers for commands whose tier is not part of this build yet. */
final class Pending {
  private Pending() {}

  static int missing(CommandSpec spec, String module) {
    spec.commandLine()
        .getErr()
        .println(
            "error: '"
                + spec.qualifiedName()
                + "' needs the module "
                + module
                + ", which this build does not include yet");
    spec.commandLine().getErr().flush();
    return ExitCodes.USAGE;
  }
}
