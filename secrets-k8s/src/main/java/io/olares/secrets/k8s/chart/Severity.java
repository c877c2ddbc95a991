package io.olares.secrets.k8s.chart;

import java.util.Locale;

/** How serious a scan finding is. */
public enum Severity {
  /** A secret in plain text, or a reference that cannot work: fix it. */
  ERROR,
  /** Worth a look; it may be fine (a Secret the chart expects to exist in the cluster). */
  WARNING;

  /** The lower-case name used in text and JSON output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
