package io.olares.secrets.vault.internal;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's JDBC storage: a small connection pool and the two kinds of transaction the vault
 * runs. Writes are serialised across threads and processes (SQLite: {@code BEGIN IMMEDIATE};
 * PostgreSQL: a transaction-scoped advisory lock), reads see one consistent snapshot (SQLite: a
 * deferred transaction in WAL mode; PostgreSQL: {@code REPEATABLE READ READ ONLY}).
 *
 * <p>SQLite connections run with {@code journal_mode=WAL}, {@code synchronous=FULL} and a busy
 * timeout, so several processes can share one file and an acknowledged commit survives a crash.
 * Thread-safe. Error messages name the storage (the URL without its query or credentials) and the
 * SQL state, never row contents.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final long PG_WRITE_LOCK = 0x6f6c617265730076L;

  /** The SQL engines the vault speaks. */
  public enum Dialect {
    SQLITE("BLOB", "BIGINT"),
    POSTGRESQL("BYTEA", "BIGINT");

    private final String blob;
    private final String bigint;

    Dialect(String blob, String bigint) {
      this.blob = blob;
      this.bigint = bigint;
    }

    /** The column type for byte strings. */
    public String blob() {
      return blob;
    }

    /** The column type for 64-bit integers. */
    public String bigint() {
      return bigint;
    }
  }

  private final String url;
  private final String description;
  private final Dialect dialect;
  private final Duration busyTimeout;
  private final BlockingQueue<Connection> idle;
  private final Semaphore permits;
  private final int maxConnections;
  private volatile boolean closed;

  private Database(String url, Dialect dialect, Duration busyTimeout, int maxConnections) {
    this.url = url;
    this.description = describe(url);
    this.dialect = dialect;
    this.busyTimeout = busyTimeout;
    this.maxConnections = maxConnections;
    this.idle = new ArrayBlockingQueue<>(maxConnections);
    this.permits = new Semaphore(maxConnections, true);
  }

  /**
   * Connects to {@code url}. Where {@code create} is false, a SQLite file that does not exist is an
   * error rather than a new empty file; where true, a missing file is created readable by its owner
   * only.
   */
  public static Database connect(
      String url, boolean create, Duration busyTimeout, int maxConnections) {
    Dialect dialect = dialectOf(url);
    if (dialect == Dialect.SQLITE) {
      prepareSqliteFile(url, create);
    }
    Database db = new Database(url, dialect, busyTimeout, maxConnections);
    Connection first = db.newConnection();
    db.idle.add(first);
    LOG.debug("vault storage {} connected ({})", db.description, dialect);
    return db;
  }

  /** The SQL dialect of {@code url}, or a configuration error naming the accepted forms. */
  public static Dialect dialectOf(String url) {
    if (url != null && url.startsWith("jdbc:sqlite:")) {
      return Dialect.SQLITE;
    }
    if (url != null && url.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRESQL;
    }
    throw new ConfigurationException(
        "vault url must start with jdbc:sqlite: or jdbc:postgresql:, not '" + describe(url) + "'");
  }

  /** A printable form of a JDBC URL: without query string, user info or password. */
  public static String describe(String url) {
    if (url == null) {
      return "(none)";
    }
    String s = url;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    int scheme = s.indexOf("://");
    int at = s.indexOf('@');
    if (scheme >= 0 && at > scheme) {
      s = s.substring(0, scheme + 3) + s.substring(at + 1);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return sb.toString();
  }

  /** The file a SQLite URL names, or null for other URLs and in-memory databases. */
  public static Path sqliteFile(String url) {
    if (!url.startsWith("jdbc:sqlite:")) {
      return null;
    }
    String rest = url.substring("jdbc:sqlite:".length());
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    if (rest.isEmpty() || rest.equals(":memory:") || rest.contains("mode=memory")) {
      return null;
    }
    return Path.of(rest);
  }

  private static void prepareSqliteFile(String url, boolean create) {
    Path file = sqliteFile(url);
    if (file == null) {
      throw new ConfigurationException(
          "vault url '"
              + describe(url)
              + "' names an in-memory SQLite database; a vault needs a file");
    }
    if (Files.exists(file)) {
      return;
    }
    if (!create) {
      throw new ConfigurationException("no vault exists at '" + describe(url) + "'");
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // another process created it between the check and here: open what it made
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot create the vault file for '" + describe(url) + "': " + e.getMessage(), e);
    }
  }

  /** The engine behind this storage. */
  public Dialect dialect() {
    return dialect;
  }

  /** The printable name of this storage (no credentials). */
  public String description() {
    return description;
  }

  /** Runs {@code work} in a serialised write transaction and commits it. */
  public <T> T write(SqlWork<T> work) {
    return inTransaction(work, true);
  }

  /** Runs {@code work} in a read-only snapshot transaction. */
  public <T> T read(SqlWork<T> work) {
    return inTransaction(work, false);
  }

  /** Runs {@code work} with auto-commit: each statement is its own transaction. */
  public <T> T autoCommit(SqlWork<T> work) {
    Connection c = borrow();
    boolean broken = false;
    try {
      return work.run(c);
    } catch (SQLException e) {
      broken = isConnectionFailure(e);
      throw failure("statement", e);
    } finally {
      release(c, broken);
    }
  }

  private <T> T inTransaction(SqlWork<T> work, boolean write) {
    Connection c = borrow();
    boolean broken = false;
    boolean open = false;
    try {
      open = true;
      begin(c, write);
      T result = work.run(c);
      commit(c);
      open = false;
      return result;
    } catch (SQLException e) {
      broken = isConnectionFailure(e);
      throw failure(write ? "write" : "read", e);
    } finally {
      if (open) {
        broken |= !rollback(c);
      }
      release(c, broken);
    }
  }

  private void begin(Connection c, boolean write) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
      }
      return;
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      if (write) {
        st.execute("SELECT pg_advisory_xact_lock(" + PG_WRITE_LOCK + ")");
      } else {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      }
    }
  }

  private void commit(Connection c) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      }
    } else {
      c.commit();
      c.setAutoCommit(true);
    }
  }

  private boolean rollback(Connection c) {
    try {
      if (dialect == Dialect.SQLITE) {
        try (Statement st = c.createStatement()) {
          st.execute("ROLLBACK");
        }
      } else {
        c.rollback();
        c.setAutoCommit(true);
      }
      return true;
    } catch (SQLException e) {
      LOG.debug("rollback on {} failed (sql state {})", description, e.getSQLState());
      return false;
    }
  }

  private Connection borrow() {
    if (closed) {
      throw new IllegalStateException("vault storage " + description + " is closed");
    }
    try {
      if (!permits.tryAcquire(busyTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
        throw new StoreUnavailableException(
            "vault storage " + description + ": no connection became free in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted waiting for vault storage " + description);
    }
    Connection c = idle.poll();
    if (c != null) {
      return c;
    }
    try {
      return newConnection();
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private void release(Connection c, boolean broken) {
    try {
      if (broken || closed || !idle.offer(c)) {
        closeQuietly(c);
      }
    } finally {
      permits.release();
    }
  }

  private Connection newConnection() {
    try {
      Properties props = new Properties();
      Connection c = DriverManager.getConnection(url, props);
      if (dialect == Dialect.SQLITE) {
        configureSqlite(c);
      }
      return c;
    } catch (SQLException e) {
      throw failure("connect", e);
    }
  }

  /**
   * WAL pages between two automatic checkpoints (SQLite's default is 1,000). Items are keyed by
   * blind index, so the puts of a large vault land on random pages, and each checkpoint writes
   * every distinct page back to the database file; a longer interval writes a page changed by
   * several puts once. Every commit is still forced to the WAL ({@code synchronous = FULL}).
   */
  static final int SQLITE_CHECKPOINT_PAGES = 8_000;

  private void configureSqlite(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
      st.execute("PRAGMA synchronous = FULL");
      st.execute("PRAGMA wal_autocheckpoint = " + SQLITE_CHECKPOINT_PAGES);
      String mode;
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
        mode = rs.next() ? rs.getString(1) : "";
      }
      if (!"wal".equalsIgnoreCase(mode)) {
        closeQuietly(c);
        throw new StoreUnavailableException(
            "vault storage " + description + " refused WAL journaling (mode '" + mode + "')");
      }
    }
  }

  private SecretsException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "?" : e.getSQLState();
    if (isCorruption(e)) {
      return new io.olares.secrets.IntegrityException(
          "vault storage "
              + description
              + " is corrupted: "
              + what
              + " failed (sql state "
              + state
              + ", code "
              + e.getErrorCode()
              + ")",
          e);
    }
    return new StoreUnavailableException(
        "vault storage "
            + description
            + ": "
            + what
            + " failed (sql state "
            + state
            + ", code "
            + e.getErrorCode()
            + ", "
            + e.getClass().getSimpleName()
            + ")",
        e);
  }

  /** SQLite's SQLITE_CORRUPT (11) and SQLITE_NOTADB (26); PostgreSQL's XX001 and XX002. */
  private boolean isCorruption(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState().toUpperCase(Locale.ROOT);
    if (state.equals("XX001") || state.equals("XX002")) {
      return true;
    }
    int code = e.getErrorCode() & 0xff;
    return dialect() == Dialect.SQLITE && (code == 11 || code == 26);
  }

  private boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.toUpperCase(Locale.ROOT).startsWith("08");
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a vault storage connection failed (sql state {})", e.getSQLState());
    }
  }

  /** The most connections this storage opens at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Closes idle connections; connections in use close when returned. Idempotent. */
  @Override
  public void close() {
    closed = true;
    List<Connection> drained = new ArrayList<>();
    idle.drainTo(drained);
    drained.forEach(Database::closeQuietly);
  }
}
