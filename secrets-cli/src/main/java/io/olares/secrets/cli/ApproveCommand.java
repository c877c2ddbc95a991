package io.olares.secrets.cli;

import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.Jws;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "approve",
    description = "Signs a challenge with a device key and prints the LarePass-shaped JWS.")
final class ApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--device-key", required = true, paramLabel = "FILE")
  Path deviceKey;

  @Option(names = "--challenge", required = true, paramLabel = "C")
  String challenge;

  @Option(
      names = "--name",
      paramLabel = "OLARES_ID",
      description = "The user's Olares id (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:OLARES_ID:-user@olares.local}")
  String name;

  @Option(
      names = "--domain",
      paramLabel = "DOMAIN",
      description = "The domain the approval is for (default: ${DEFAULT-VALUE}).",
      defaultValue = "olares-secrets")
  String domain;

  @Override
  public Integer call() {
    if (challenge.isBlank()) {
      throw new IllegalArgumentException("--challenge is empty");
    }
    DeviceKey key = DeviceKey.load(deviceKey);
    String jws =
        Jws.sign(key, new Jws.Payload(name, key.did(), domain, Instant.now(), challenge.trim()));
    spec.commandLine().getOut().println(jws);
    return ExitCodes.OK;
  }
}
