package io.olares.secrets.config;

import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import java.nio.file.Path;
import java.time.Duration;
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
 *   tally: 1s           # cache-served reads of one secret in this window: one event with a
 *                       # count; 0 records every read as an event of its own
 * }</pre>
 *
 * @param file the JSON-lines audit file; null for none
 * @param durability when lines reach the device
 * @param queueCapacity how many events may wait for the writer thread (batch mode)
 * @param log whether events also go to SLF4J
 * @param tally the window over which reads served from the cache are counted into one event per
 *     secret; zero for one event per read
 */
public record AuditSettings(
    Path file, Durability durability, int queueCapacity, boolean log, Duration tally) {
  /** The default tally window: one second. */
  public static final Duration DEFAULT_TALLY = Duration.ofSeconds(1);

  /** The longest tally window: one day. */
  public static final Duration MAX_TALLY = Duration.ofDays(1);

  /** No file; events are logged through SLF4J. */
  public static final AuditSettings DEFAULTS =
      new AuditSettings(null, Durability.SYNC_ON_FLUSH, 8192, true, DEFAULT_TALLY);

  /** Validates. */
  public AuditSettings {
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(tally, "tally");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("audit queue must be at least 1");
    }
    if (tally.isNegative() || tally.compareTo(MAX_TALLY) > 0) {
      throw new IllegalArgumentException("audit tally must be between 0 and 1 day");
    }
  }

  /** Settings with the {@linkplain #DEFAULT_TALLY default tally window}. */
  public AuditSettings(Path file, Durability durability, int queueCapacity, boolean log) {
    this(file, durability, queueCapacity, log, DEFAULT_TALLY);
  }

  /** The audit file, if configured. */
  public Optional<Path> fileOpt() {
    return Optional.ofNullable(file);
  }

  /** These settings writing to {@code newFile}. */
  public AuditSettings withFile(Path newFile) {
    return new AuditSettings(newFile, durability, queueCapacity, log, tally);
  }
}
