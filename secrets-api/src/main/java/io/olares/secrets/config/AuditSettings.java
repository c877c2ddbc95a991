package io.olares.secrets.config;

import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code audit:} section.
 *
 * <pre>{@code
 * audit:
 *   file: ${user.home}/.olares-secrets/audit.jsonl   # hash-chained JSON lines (optional)
 *   fsync: batch        # batch (default): a background thread forces each batch;
 *                       # event: each access waits until its line is on the device
 *   queue: 8192         # events that may wait for the background thread
 *   log: true           # also log each event to the SLF4J logger io.olares.secrets.audit
 * }</pre>
 *
 * @param file the JSON-lines audit file; null for none
 * @param durability when lines reach the device
 * @param queueCapacity how many events may wait for the writer thread (batch mode)
 * @param log whether events also go to SLF4J
 */
public record AuditSettings(Path file, Durability durability, int queueCapacity, boolean log) {
  /** No file; events are logged through SLF4J. */
  public static final AuditSettings DEFAULTS =
      new AuditSettings(null, Durability.SYNC_ON_FLUSH, 8192, true);

  /** Validates. */
  public AuditSettings {
    Objects.requireNonNull(durability, "durability");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("audit queue must be at least 1");
    }
  }

  /** The audit file, if configured. */
  public Optional<Path> fileOpt() {
    return Optional.ofNullable(file);
  }

  /** These settings writing to {@code newFile}. */
  public AuditSettings withFile(Path newFile) {
    return new AuditSettings(newFile, durability, queueCapacity, log);
  }
}
