package io.olares.secrets.vault.internal;

import io.olares.secrets.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a vault's rows, unchanged, from one storage to another: the schema is created in the
 * target, then every table is copied column by column inside one target transaction. Values keep
 * their type (byte strings, integers, text), so the copy holds exactly the same bytes and opens
 * with the same passphrase.
 */
public final class StorageCopy {
  private StorageCopy() {}

  /**
   * Copies every row of the vault at {@code fromUrl} into {@code toUrl}, which must hold no vault.
   *
   * @return the number of rows copied
   */
  public static long copy(String fromUrl, String toUrl, Duration busyTimeout) {
    try (Database from = Database.connect(fromUrl, false, busyTimeout, 1);
        Database to = Database.connect(toUrl, true, busyTimeout, 1)) {
      return from.read(
          src -> {
            int version = Schema.installedVersion(src, from.dialect());
            if (version != Schema.CURRENT) {
              throw new ConfigurationException(
                  "vault storage "
                      + from.description()
                      + " has schema version "
                      + version
                      + "; open it once with this library before copying");
            }
            return to.write(dst -> copyAll(src, dst, to));
          });
    }
  }

  private static long copyAll(Connection src, Connection dst, Database to) throws SQLException {
    Schema.migrate(dst, to.dialect(), to.description(), 0);
    if (HeaderRow.read(dst) != null) {
      throw new ConfigurationException(
          "vault storage " + to.description() + " already holds a vault");
    }
    try (Statement st = dst.createStatement()) {
      st.executeUpdate("DELETE FROM schema_version");
    }
    long rows = 0;
    for (String table : Schema.TABLES) {
      rows += copyTable(src, dst, table);
    }
    return rows;
  }

  private static long copyTable(Connection src, Connection dst, String table) throws SQLException {
    long n = 0;
    try (Statement st = src.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i));
      }
      String sql =
          "INSERT INTO "
              + table
              + " ("
              + String.join(", ", columns)
              + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
              + ")";
      try (PreparedStatement ps = dst.prepareStatement(sql)) {
        while (rs.next()) {
          for (int i = 1; i <= columns.size(); i++) {
            bind(ps, i, rs.getObject(i), table, columns.get(i - 1));
          }
          ps.executeUpdate();
          n++;
        }
      }
    }
    return n;
  }

  private static void bind(PreparedStatement ps, int i, Object value, String table, String column)
      throws SQLException {
    if (value instanceof byte[] bytes) {
      ps.setBytes(i, bytes);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      ps.setLong(i, ((Number) value).longValue());
    } else if (value instanceof String text) {
      ps.setString(i, text);
    } else {
      throw new ConfigurationException(
          "column "
              + table
              + "."
              + column
              + " holds a "
              + (value == null ? "null" : value.getClass().getSimpleName())
              + ", which a vault never stores");
    }
  }
}
