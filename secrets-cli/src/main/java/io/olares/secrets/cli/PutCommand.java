package io.olares.secrets.cli;

import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "put",
    description =
        "Writes the value read from stdin (one trailing newline is dropped unless --raw).")
final class PutCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF")
  String ref;

  @Option(names = "--raw", description = "Store stdin byte for byte, trailing newline included.")
  boolean raw;

  @Override
  public Integer call() throws IOException {
    SecretRef parsed = SecretRef.parse(ref);
    byte[] input = DeviceCommand.readAll(System.in);
    int end = input.length;
    if (!raw && end > 0 && input[end - 1] == '\n') {
      end--;
      if (end > 0 && input[end - 1] == '\r') {
        end--;
      }
    }
    try (SecretValue value = SecretValue.ofBytes(Arrays.copyOf(input, end));
        Secrets secrets = new CliContext(GlobalOptions.of(spec)).open(Optional.empty())) {
      Arrays.fill(input, (byte) 0);
      secrets.put(parsed, value);
    }
    return ExitCodes.OK;
  }
}
