package io.olares.secrets.fakes;

import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every audit event in memory. */
public final class RecordingAuditSink implements AuditSink {
  public final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  public volatile boolean closed;

  @Override
  public void record(AuditEvent event) {
    events.add(event);
  }

  public AuditEvent last() {
    return events.get(events.size() - 1);
  }

  @Override
  public void close() {
    closed = true;
  }
}
