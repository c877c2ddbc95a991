package io.olares.secrets.k8s.chart;

import java.util.Objects;

/**
 * One problem a chart scan found in a pod's environment. Never holds a secret value: the reason
 * names the Helm value or the rule, not what it contains.
 *
 * @param file the template, relative to the chart directory, with {@code /} separators
 * @param line the line of the entry in that template (1-based)
 * @param container the container's name as written in the template
 * @param variable the environment variable, or null for an {@code envFrom} entry
 * @param reason what is wrong
 * @param severity how serious it is
 */
public record Finding(
    String file, int line, String container, String variable, String reason, Severity severity) {
  /** Validates. */
  public Finding {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(severity, "severity");
  }

  /**
   * The finding in one line: {@code templates/deployment.yaml, container notes, env DB_PASSWORD:
   * plaintext from .Values.postgres.password}.
   */
  public String describe() {
    return file
        + ", container "
        + container
        + ", "
        + (variable == null ? "envFrom" : "env " + variable)
        + ": "
        + reason;
  }
}
