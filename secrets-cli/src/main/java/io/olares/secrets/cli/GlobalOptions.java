package io.olares.secrets.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes. */
final class GlobalOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Configuration file (else OLARES_SECRETS_CONFIG, else embedded defaults).")
  Path config;

  @Option(
      names = "--app",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "The calling app's name for policy and audit.")
  String app;

  /** The global options as given on this command line, wherever they stood. */
  static GlobalOptions of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((Main) spec.root().userObject()).global;
  }
}
