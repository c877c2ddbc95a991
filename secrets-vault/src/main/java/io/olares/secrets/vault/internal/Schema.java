package io.olares.secrets.vault.internal;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.vault.internal.Database.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The vault's versioned schema. Each migration runs once, in the write transaction that records it
 * in {@code schema_version}, so two processes opening an old vault at once cannot both apply it.
 * Column types are the portable subset of SQLite and PostgreSQL: byte strings as {@code
 * BLOB}/{@code BYTEA}, integers, and ASCII text; a vault's rows copy unchanged between engines.
 */
public final class Schema {
  /** The schema version this build writes and reads. */
  public static final int CURRENT = 1;

  /** Every table, in the order a copy must fill them. */
  public static final List<String> TABLES =
      List.of("schema_version", "vault_header", "items", "buckets", "used_nonces");

  private record Migration(int version, String description, Function<Dialect, List<String>> ddl) {}

  private static final List<Migration> MIGRATIONS =
      List.of(new Migration(1, "vault header, items, buckets, used nonces", Schema::version1));

  private Schema() {}

  private static List<String> version1(Dialect d) {
    String blob = d.blob();
    String bigint = d.bigint();
    return List.of(
        "CREATE TABLE vault_header ("
            + "id INTEGER PRIMARY KEY, "
            + "vault_id TEXT NOT NULL, "
            + "format INTEGER NOT NULL, "
            + "kdf_algorithm TEXT NOT NULL, "
            + "kdf_version INTEGER NOT NULL, "
            + "kdf_memory_kib INTEGER NOT NULL, "
            + "kdf_iterations INTEGER NOT NULL, "
            + "kdf_parallelism INTEGER NOT NULL, "
            + ("kdf_salt " + blob + " NOT NULL, ")
            + "key_generation INTEGER NOT NULL, "
            + ("wrapped_key " + blob + " NOT NULL, ")
            + ("rotation_proof " + blob + " NOT NULL, ")
            + ("trust_revision " + bigint + " NOT NULL, ")
            + "trusted_dids TEXT NOT NULL, "
            + ("created_at " + bigint + " NOT NULL, ")
            + ("updated_at " + bigint + " NOT NULL, ")
            + ("header_mac " + blob + " NOT NULL)"),
        "CREATE TABLE items ("
            + ("item_id " + blob + " PRIMARY KEY, ")
            + ("name_index " + blob + " NOT NULL UNIQUE, ")
            + "bucket INTEGER NOT NULL, "
            + ("version " + bigint + " NOT NULL, ")
            + "classification TEXT NOT NULL, "
            + ("created_at " + bigint + " NOT NULL, ")
            + ("updated_at " + bigint + " NOT NULL, ")
            + ("name_nonce " + blob + " NOT NULL, ")
            + ("name_ct " + blob + " NOT NULL, ")
            + ("value_nonce " + blob + " NOT NULL, ")
            + ("value_ct " + blob + " NOT NULL)"),
        "CREATE INDEX items_by_bucket ON items (bucket)",
        "CREATE TABLE buckets ("
            + "bucket INTEGER PRIMARY KEY, "
            + ("counter " + bigint + " NOT NULL, ")
            + ("digest " + blob + " NOT NULL, ")
            + ("mac " + blob + " NOT NULL)"),
        "CREATE TABLE used_nonces ("
            + "nonce TEXT PRIMARY KEY, "
            + ("forget_after " + bigint + " NOT NULL)"),
        "CREATE INDEX used_nonces_by_expiry ON used_nonces (forget_after)");
  }

  /**
   * The schema version recorded in the database, or 0 where it holds no vault schema at all. Runs
   * inside the caller's transaction.
   */
  public static int installedVersion(Connection c, Dialect dialect) throws SQLException {
    if (!tableExists(c, dialect, "schema_version")) {
      return 0;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Brings the schema to {@link #CURRENT}, inside the caller's write transaction.
   *
   * @throws ConfigurationException where the database holds a newer schema than this build knows
   */
  public static void migrate(Connection c, Dialect dialect, String storage, long now)
      throws SQLException {
    if (!tableExists(c, dialect, "schema_version")) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at "
                + dialect.bigint()
                + " NOT NULL)");
      }
    }
    int installed = installedVersion(c, dialect);
    if (installed > CURRENT) {
      throw new ConfigurationException(
          "vault storage "
              + storage
              + " has schema version "
              + installed
              + ", newer than this library's "
              + CURRENT
              + "; upgrade olares-secrets");
    }
    for (Migration m : MIGRATIONS) {
      if (m.version() <= installed) {
        continue;
      }
      try (Statement st = c.createStatement()) {
        for (String sql : m.ddl().apply(dialect)) {
          st.execute(sql);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
        ps.setInt(1, m.version());
        ps.setLong(2, now);
        ps.executeUpdate();
      }
    }
  }

  /** Fails unless the schema is exactly {@link #CURRENT}; used when opening without migrating. */
  public static void check(int installed, String storage) {
    if (installed > CURRENT) {
      throw new ConfigurationException(
          "vault storage "
              + storage
              + " has schema version "
              + installed
              + ", newer than this library's "
              + CURRENT
              + "; upgrade olares-secrets");
    }
  }

  private static boolean tableExists(Connection c, Dialect dialect, String table)
      throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String schema = dialect == Dialect.POSTGRESQL ? c.getSchema() : null;
    String name = dialect == Dialect.POSTGRESQL ? table.toLowerCase(Locale.ROOT) : table;
    try (ResultSet rs = meta.getTables(null, schema, name, new String[] {"TABLE"})) {
      return rs.next();
    }
  }
}
