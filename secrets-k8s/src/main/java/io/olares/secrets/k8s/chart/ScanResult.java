package io.olares.secrets.k8s.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What a chart scan found: findings (errors first, then warnings, each in file and line order) and
 * the parts it could not analyse. Holds no secret values; safe to print and log.
 *
 * @param chart the chart's name from {@code Chart.yaml}, or null where it is unknown
 * @param findings the findings, errors first
 * @param skipped what was skipped
 */
public record ScanResult(String chart, List<Finding> findings, List<Skipped> skipped) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the lists. */
  public ScanResult {
    findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    skipped = List.copyOf(Objects.requireNonNull(skipped, "skipped"));
  }

  /** True where anything was found; the scan command then exits with status 1. */
  public boolean hasFindings() {
    return !findings.isEmpty();
  }

  /** How many findings have {@code severity}. */
  public long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }

  /**
   * One line per finding ({@code error templates/x.yaml:22, container c, env V: reason}), one per
   * skipped part, and a summary line.
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      sb.append(String.format("%-8s", f.severity().label()))
          .append(f.file())
          .append(':')
          .append(f.line())
          .append(f.describe().substring(f.file().length()))
          .append('\n');
    }
    for (Skipped s : skipped) {
      sb.append(String.format("%-8s", "skipped")).append(s.describe()).append('\n');
    }
    long errors = count(Severity.ERROR);
    long warnings = count(Severity.WARNING);
    sb.append(findings.size())
        .append(findings.size() == 1 ? " finding" : " findings")
        .append(" (")
        .append(errors)
        .append(errors == 1 ? " error, " : " errors, ")
        .append(warnings)
        .append(warnings == 1 ? " warning)" : " warnings)")
        .append(", ")
        .append(skipped.size())
        .append(skipped.size() == 1 ? " part skipped" : " parts skipped")
        .append('\n');
    return sb.toString();
  }

  /** The result as a JSON document: {@code chart}, {@code findings}, {@code skipped}, counts. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    if (chart == null) {
      root.putNull("chart");
    } else {
      root.put("chart", chart);
    }
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode o = list.addObject();
      o.put("severity", f.severity().label());
      o.put("file", f.file());
      o.put("line", f.line());
      o.put("container", f.container());
      if (f.variable() == null) {
        o.putNull("variable");
      } else {
        o.put("variable", f.variable());
      }
      o.put("reason", f.reason());
    }
    ArrayNode skips = root.putArray("skipped");
    for (Skipped s : skipped) {
      ObjectNode o = skips.addObject();
      o.put("file", s.file());
      o.put("line", s.line());
      o.put("reason", s.reason());
    }
    ObjectNode counts = root.putObject("counts");
    counts.put("errors", count(Severity.ERROR));
    counts.put("warnings", count(Severity.WARNING));
    counts.put("skipped", skipped.size());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a scan result", e);
    }
  }
}
