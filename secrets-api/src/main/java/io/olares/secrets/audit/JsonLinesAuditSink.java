package io.olares.secrets.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.IntegrityException;
import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events to a file, one JSON object per line, each line chained to the one before by
 * a SHA-256 hash (the format is described on {@link AuditVerifier}). {@link AuditVerifier} finds
 * the first line that was edited, deleted, reordered or cut off.
 *
 * <p>Durability: with {@link Durability#SYNC_EACH_EVENT} every {@link #record} writes its line and
 * forces it to the device before returning. With {@link Durability#SYNC_ON_FLUSH} events are
 * collected and written, then forced, by {@link #flush()}; wrap such a sink in an {@link
 * AsyncAuditSink}, which flushes after each batch in its own thread ({@link #openAsync(Path)} does
 * both).
 *
 * <p>The file may be shared: several sinks, in this process or in others, can append to one file.
 * Each write holds an exclusive file lock and picks the chain up from the file's current last line.
 * Opening an existing file continues its chain. A file whose last line is incomplete (a write cut
 * off by a crash) is refused, so that the damage stays visible instead of being built upon.
 *
 * <p>New files are created readable by the owner only where the file system supports POSIX
 * permissions. {@link #record} never throws: a failed write is logged at ERROR, the file is cut
 * back to its last complete line, and the events are retried at the next flush (up to {@value
 * #MAX_PENDING} events are kept). Thread-safe.
 */
public final class JsonLinesAuditSink implements AuditSink, Flushable {
  /** The most unwritten events kept while the file cannot be written. */
  public static final int MAX_PENDING = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ConcurrentHashMap<Path, Object> PROCESS_LOCKS = new ConcurrentHashMap<>();

  /** When lines reach the device. */
  public enum Durability {
    /** Each {@link #record} writes and forces its line before returning. */
    SYNC_EACH_EVENT,
    /** Lines are written and forced together by {@link #flush()}. */
    SYNC_ON_FLUSH
  }

  private final Path file;
  private final Durability durability;
  private final FileChannel channel;
  private final Object processLock;
  private final List<AuditEvent> pending = new ArrayList<>();
  private long knownSize;
  private long nextSeq;
  private String prevHash;
  private long dropped;
  private boolean failing;
  private boolean closed;

  private JsonLinesAuditSink(Path file, Durability durability, FileChannel channel) {
    this.file = file;
    this.durability = durability;
    this.channel = channel;
    this.processLock = PROCESS_LOCKS.computeIfAbsent(file, f -> new Object());
  }

  /**
   * Opens (creating where needed) {@code file} and reads the end of its chain.
   *
   * @throws IntegrityException where the file's last line is incomplete or unreadable
   * @throws UncheckedIOException where the file cannot be opened
   */
  public static JsonLinesAuditSink open(Path file, Durability durability) {
    Objects.requireNonNull(durability, "durability");
    Path requested = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    try {
      boolean created = createOwnerOnly(requested);
      Path target = requested.toRealPath();
      FileChannel channel =
          FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
      JsonLinesAuditSink sink = new JsonLinesAuditSink(target, durability, channel);
      try {
        synchronized (sink.processLock) {
          FileLock lock = channel.lock();
          try {
            sink.readChainEnd();
          } finally {
            lock.release();
          }
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (created) {
        forceDirectory(target.getParent());
      }
      LOG.info("audit trail {} opened at seq {}", target, sink.nextSeq);
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit file " + requested, e);
    }
  }

  /**
   * Opens {@code file} with {@link Durability#SYNC_ON_FLUSH} behind an {@link AsyncAuditSink}: the
   * caller never waits for the disk, and each batch is forced to the device by the writer thread.
   */
  public static AsyncAuditSink openAsync(Path file) {
    return new AsyncAuditSink(
        open(file, Durability.SYNC_ON_FLUSH), AsyncAuditSink.DEFAULT_CAPACITY);
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** The sequence number the next line will carry. */
  public synchronized long nextSeq() {
    return nextSeq;
  }

  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (this) {
      if (closed) {
        LOG.warn(
            "audit event for {} dropped: the audit file {} is closed", event.reference(), file);
        return;
      }
      if (pending.size() >= MAX_PENDING) {
        dropped++;
        return;
      }
      pending.add(event);
      if (durability == Durability.SYNC_EACH_EVENT) {
        writePending();
      }
    }
  }

  /** Writes the collected events and forces them to the device. */
  @Override
  public synchronized void flush() {
    writePending();
  }

  /** Writes what is pending and closes the file; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    writePending();
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.error("closing the audit file {} failed: {}", file, e.toString());
    }
  }

  @Override
  public String toString() {
    return "JsonLinesAuditSink[" + file + ", " + durability + "]";
  }

  private void writePending() {
    if (pending.isEmpty() || closed) {
      return;
    }
    synchronized (processLock) {
      long before = -1;
      FileLock lock = null;
      try {
        lock = channel.lock();
        before = channel.size();
        if (before != knownSize) {
          readChainEnd();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(pending.size() * 320);
        long seq = nextSeq;
        String prev = prevHash;
        for (AuditEvent event : pending) {
          byte[] line = AuditLines.encode(event, seq, prev);
          out.writeBytes(line);
          out.write('\n');
          prev = AuditLines.sha256Hex(line, line.length);
          seq++;
        }
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        long at = before;
        while (buffer.hasRemaining()) {
          at += channel.write(buffer, at);
        }
        channel.force(false);
        knownSize = at;
        nextSeq = seq;
        prevHash = prev;
        pending.clear();
        if (failing || dropped > 0) {
          LOG.warn(
              "audit file {} is writable again; {} events were dropped meanwhile", file, dropped);
          failing = false;
          dropped = 0;
        }
      } catch (IOException | RuntimeException e) {
        cutBack(before);
        if (!failing) {
          LOG.error(
              "cannot write {} audit events to {}: {}; will retry",
              pending.size(),
              file,
              e.toString());
          failing = true;
        }
      } finally {
        release(lock);
      }
    }
  }

  private void release(FileLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.error("cannot release the lock on the audit file {}: {}", file, e.toString());
    }
  }

  /** Removes a partly written tail so the file keeps ending with a complete line. */
  private void cutBack(long size) {
    if (size < 0) {
      return;
    }
    try {
      if (channel.size() > size) {
        channel.truncate(size);
        channel.force(false);
      }
    } catch (IOException e) {
      LOG.error("cannot cut the audit file {} back to {} bytes: {}", file, size, e.toString());
    }
  }

  /** Reads the last line and continues the chain after it; called with the file locked. */
  private void readChainEnd() throws IOException {
    long size = channel.size();
    if (size == 0) {
      nextSeq = 1;
      prevHash = AuditLines.ZERO_HASH;
      knownSize = 0;
      return;
    }
    byte[] last = lastLine(size);
    JsonNode node;
    try {
      node = MAPPER.readTree(last);
    } catch (IOException e) {
      throw new IntegrityException(
          "the last line of the audit file " + file + " is not JSON; run 'audit verify' on it");
    }
    JsonNode seq = node == null ? null : node.get("seq");
    if (seq == null || !seq.canConvertToLong() || seq.asLong() < 1) {
      throw new IntegrityException(
          "the last line of the audit file " + file + " has no valid seq; run 'audit verify'");
    }
    nextSeq = seq.asLong() + 1;
    prevHash = AuditLines.sha256Hex(last, last.length);
    knownSize = size;
  }

  private byte[] lastLine(long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, size - 1);
    if (one.get(0) != '\n') {
      throw new IntegrityException(
          "the audit file "
              + file
              + " ends with an incomplete line (a write was cut off); verify it with 'audit"
              + " verify' and move it aside before writing to it again");
    }
    int window = 4096;
    while (true) {
      long start = Math.max(0, size - 1 - window);
      int length = (int) (size - 1 - start);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, start + buffer.position()) < 0) {
          throw new IOException("the audit file shrank while being read");
        }
      }
      byte[] bytes = buffer.array();
      for (int i = length - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          return Arrays.copyOfRange(bytes, i + 1, length);
        }
      }
      if (start == 0) {
        return bytes;
      }
      if (window >= 16 * 1024 * 1024) {
        throw new IntegrityException("the last line of the audit file " + file + " is too long");
      }
      window *= 4;
    }
  }

  /** Creates the file (and its directory) readable by the owner only; false where it existed. */
  private static boolean createOwnerOnly(Path file) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path dir = file.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    try {
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
              }
              : new FileAttribute<?>[0];
      Files.createFile(file, attributes);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Makes a new directory entry durable; a no-op where directories cannot be opened. */
  private static void forceDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot force the directory {}: {}", dir, e.toString());
    }
  }
}
