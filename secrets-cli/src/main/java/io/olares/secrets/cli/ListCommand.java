package io.olares.secrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.SecretRef;
import io.olares.secrets.Secrets;
import io.olares.secrets.spi.SecretInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "Lists the references under a prefix (never values).")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF")
  String prefix;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SecretRef parsed = SecretRef.parsePrefix(prefix);
    List<SecretInfo> infos;
    try (Secrets secrets = new CliContext(GlobalOptions.of(spec)).open(Optional.empty())) {
      infos = secrets.list(parsed);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SecretInfo info : infos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", info.ref().toString());
        m.put("classification", info.classification().name());
        info.metadata().versionOpt().ifPresent(v -> m.put("version", v));
        rows.add(m);
      }
      out.println(new ObjectMapper().writeValueAsString(rows));
    } else {
      for (SecretInfo info : infos) {
        out.println(info.ref() + "\t" + info.classification());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
