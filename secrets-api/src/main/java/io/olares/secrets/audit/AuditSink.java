package io.olares.secrets.audit;

/**
 * Receives audit events. Implementations must be thread-safe, must not throw from {@link
 * #record(AuditEvent)} (a failing sink reports through its own logging) and must never add secret
 * material.
 */
public interface AuditSink extends AutoCloseable {
  /** Records one event. */
  void record(AuditEvent event);

  /** Flushes pending events and releases resources; idempotent. */
  @Override
  default void close() {}
}
