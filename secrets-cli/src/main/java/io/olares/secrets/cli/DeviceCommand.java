package io.olares.secrets.cli;

import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.DeviceKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "device",
    description = "Device keys (Ed25519, LarePass' derivation).",
    subcommands = {
      DeviceCommand.New.class,
      DeviceCommand.FromMnemonic.class,
      DeviceCommand.Show.class
    })
final class DeviceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "new", description = "Generates a device key into a new 0600 file.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() {
      DeviceKey key = DeviceKey.generate();
      key.save(out);
      spec.commandLine().getOut().println(key.did());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "from-mnemonic",
      description =
          "Derives the device key from a BIP39 mnemonic read on stdin (empty passphrase,"
              + " SLIP-0010 ed25519 master key), into a new 0600 file.")
  static final class FromMnemonic implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() throws IOException {
      byte[] raw = readAll(System.in);
      int end = raw.length;
      while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
        end--;
      }
      try (SecretValue mnemonic = SecretValue.ofBytes(Arrays.copyOf(raw, end))) {
        Arrays.fill(raw, (byte) 0);
        DeviceKey key = DeviceKey.fromMnemonic(mnemonic);
        key.save(out);
        spec.commandLine().getOut().println(key.did());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Prints the did:key of a device key file.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(DeviceKey.load(file).did());
      return ExitCodes.OK;
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toByteArray();
  }
}
