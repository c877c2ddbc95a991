package io.olares.secrets.audit;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each audit event as one INFO line to the SLF4J logger {@value #LOGGER_NAME}, so an app's
 * logging configuration decides where the trail goes. Events hold no values, so neither do the
 * lines. Thread-safe.
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The logger every line goes to. */
  public static final String LOGGER_NAME = "io.olares.secrets.audit";

  private final Logger log;

  /** A sink writing to {@value #LOGGER_NAME}. */
  public Slf4jAuditSink() {
    this(LoggerFactory.getLogger(LOGGER_NAME));
  }

  /** A sink writing to {@code log}. */
  public Slf4jAuditSink(Logger log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public void record(AuditEvent event) {
    if (!log.isInfoEnabled()) {
      return;
    }
    if (event.isTally()) {
      log.info(
          "app={} op={} ref={} class={} decision={} outcome={} count={} from={} until={}",
          event.app(),
          event.operation().wireName(),
          event.reference(),
          event.classification() == null ? "-" : event.classification().name(),
          event.decision(),
          event.outcome(),
          event.count(),
          event.time(),
          event.until());
      return;
    }
    log.info(
        "app={} op={} ref={} class={} decision={} outcome={} micros={}",
        event.app(),
        event.operation().wireName(),
        event.reference(),
        event.classification() == null ? "-" : event.classification().name(),
        event.decision(),
        event.outcome(),
        event.duration().toNanos() / 1000);
  }

  @Override
  public String toString() {
    return "Slf4jAuditSink[" + log.getName() + "]";
  }
}
