package io.olares.secrets.fuzz;

import io.olares.secrets.SecretsException;

/**
 * What a fuzz target may throw: the SDK's documented exceptions. Anything else escaping a parser of
 * untrusted input is a finding, reported as an {@link AssertionError} that names the input's
 * failure so Jazzer keeps the input as a crash.
 */
final class Findings {
  private Findings() {}

  /** Rethrows {@code e} as a finding unless it is one of {@code allowed}. */
  @SafeVarargs
  static void allowOnly(RuntimeException e, Class<? extends RuntimeException>... allowed) {
    for (Class<? extends RuntimeException> type : allowed) {
      if (type.isInstance(e)) {
        return;
      }
    }
    throw new AssertionError("undocumented exception " + e.getClass().getName(), e);
  }

  /** Rethrows {@code e} as a finding unless it is a {@link SecretsException}. */
  static void allowSdkErrors(RuntimeException e) {
    allowOnly(e, SecretsException.class);
  }

  /** A finding where a parsed result breaks a documented property. */
  static AssertionError property(String what) {
    return new AssertionError(what);
  }
}
