package io.olares.secrets.cli;

import io.olares.secrets.SecretsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code olares-secrets}. */
@Command(
    name = "olares-secrets",
    mixinStandardHelpOptions = true,
    scope = picocli.CommandLine.ScopeType.INHERIT,
    version = "olares-secrets 0.1.0",
    description = "Keep and use secrets the way Olares classifies them.",
    subcommands = {
      DemoCommand.class,
      ClassesCommand.class,
      StoresCommand.class,
      GetCommand.class,
      PutCommand.class,
      ListCommand.class,
      RmCommand.class,
      VaultCommand.class,
      DeviceCommand.class,
      ApproveCommand.class,
      PolicyCommand.class,
      ScanCommand.class,
      AuditCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:findings (scan)",
      "2:usage or configuration error",
      "3:not found",
      "4:access denied",
      "5:approval required",
      "6:integrity failure",
      "7:store unavailable"
    })
public final class Main {
  @picocli.CommandLine.Mixin GlobalOptions global = new GlobalOptions();

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("error: " + ex.getMessage());
          cmd.getErr().println("try: " + cmd.getCommandSpec().qualifiedName() + " --help");
          cmd.getErr().flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("error: " + describe(ex));
          cmd.getErr().flush();
          return ExitCodes.of(ex);
        });
    cli.setExecutionStrategy(new CommandLine.RunLast());
    return cli.execute(args);
  }

  private static String describe(Exception ex) {
    if (ex instanceof SecretsException || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
  }
}
