package io.olares.secrets.audit;

import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import java.time.Duration;
import java.time.Instant;

/** Audit events for tests. */
final class AuditFixtures {
  private AuditFixtures() {}

  static AuditEvent event(int n) {
    return new AuditEvent(
        Instant.parse("2025-01-02T00:00:00Z").plusSeconds(n),
        "myapp",
        Operation.READ,
        "infisical://myapp/prod/KEY_" + n,
        Classification.APPLICATION_CREDENTIAL,
        "allow",
        "ok",
        Duration.ofNanos(1234567));
  }
}
