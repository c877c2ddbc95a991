package io.olares.secrets.testing;

import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink that keeps every event in memory, for tests to assert on. Thread-safe. */
public final class RecordingAuditSink implements AuditSink {
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  /** Creates an empty sink. */
  public RecordingAuditSink() {}

  @Override
  public void record(AuditEvent event) {
    events.add(event);
  }

  /** The events recorded so far, oldest first; a snapshot. */
  public List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** The most recent event; fails where none was recorded. */
  public AuditEvent last() {
    if (events.isEmpty()) {
      throw new IllegalStateException("no audit event was recorded");
    }
    return events.get(events.size() - 1);
  }

  /** Forgets the events recorded so far. */
  public void clear() {
    events.clear();
  }

  @Override
  public String toString() {
    return "RecordingAuditSink[" + events.size() + " events]";
  }
}
