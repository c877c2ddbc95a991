package io.olares.secrets.k8s.chart;

import java.util.Objects;

/**
 * A part of a chart the scan could not read or analyse, so findings there may be missing.
 *
 * @param file the file, relative to the chart directory
 * @param line the first line concerned, or 0 for the whole file
 * @param reason why it was skipped
 */
public record Skipped(String file, int line, String reason) {
  /** Validates. */
  public Skipped {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
  }

  /** The skipped part in one line. */
  public String describe() {
    return file + (line > 0 ? ":" + line : "") + ": " + reason;
  }
}
