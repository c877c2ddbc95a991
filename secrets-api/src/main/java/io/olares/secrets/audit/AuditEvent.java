package io.olares.secrets.audit;

import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One access, or a count of like cache-served reads, as the audit trail records it. It never holds
 * a value.
 *
 * <p>Most events stand for one access ({@code count} 1, {@code until} null). A <em>tally</em>
 * stands for {@code count} reads of one secret by one app that the facade served from its cache,
 * allowed and successful, between {@code time} and {@code until} (see {@link #tally}); its duration
 * is zero, since no single read is timed.
 *
 * @param time when the access started; for a tally, when its window opened
 * @param app the calling app
 * @param operation what was done
 * @param reference the reference text (references are not secret)
 * @param classification the kind of secret, or null where it could not be determined
 * @param decision allow, deny or approval_required, as the policy said
 * @param outcome ok, denied, not_found, approval_required, error:&lt;type&gt;
 * @param duration how long the access took
 * @param count how many accesses the event stands for, at least 1
 * @param until for a tally, when its window closed; null for a single access
 */
public record AuditEvent(
    Instant time,
    String app,
    Operation operation,
    String reference,
    Classification classification,
    String decision,
    String outcome,
    Duration duration,
    long count,
    Instant until) {
  /** Validates. */
  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
    if (count < 1) {
      throw new IllegalArgumentException("an audit event stands for at least one access");
    }
    if (until == null ? count != 1 : until.isBefore(time)) {
      throw new IllegalArgumentException(
          until == null
              ? "only a tally (with an end time) stands for more than one access"
              : "a tally cannot end before it starts");
    }
  }

  /** One access. */
  public AuditEvent(
      Instant time,
      String app,
      Operation operation,
      String reference,
      Classification classification,
      String decision,
      String outcome,
      Duration duration) {
    this(time, app, operation, reference, classification, decision, outcome, duration, 1, null);
  }

  /**
   * {@code count} allowed, successful reads of {@code reference} by {@code app}, served from the
   * facade's cache between {@code from} and {@code until}.
   */
  public static AuditEvent tally(
      Instant from,
      Instant until,
      String app,
      String reference,
      Classification classification,
      long count) {
    return new AuditEvent(
        from,
        app,
        Operation.READ,
        reference,
        classification,
        "allow",
        "ok",
        Duration.ZERO,
        count,
        Objects.requireNonNull(until, "until"));
  }

  /** True for a tally of cache-served reads, false for a single access. */
  public boolean isTally() {
    return until != null;
  }
}
