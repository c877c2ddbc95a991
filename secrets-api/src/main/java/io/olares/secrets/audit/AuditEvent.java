package io.olares.secrets.audit;

import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One access, as the audit trail records it. It never holds a value.
 *
 * @param time when the access started
 * @param app the calling app
 * @param operation what was done
 * @param reference the reference text (references are not secret)
 * @param classification the kind of secret, or null where it could not be determined
 * @param decision allow, deny or approval_required, as the policy said
 * @param outcome ok, denied, not_found, approval_required, error:&lt;type&gt;
 * @param duration how long the access took
 */
public record AuditEvent(
    Instant time,
    String app,
    Operation operation,
    String reference,
    Classification classification,
    String decision,
    String outcome,
    Duration duration) {
  /** Validates. */
  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
  }
}
