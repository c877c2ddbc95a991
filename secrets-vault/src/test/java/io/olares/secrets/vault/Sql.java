package io.olares.secrets.vault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Raw JDBC access to a vault's storage, as an attacker with write access would have it. */
public final class Sql {
  private Sql() {}

  /** Runs an update and returns the changed row count. */
  public static int update(String url, String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Runs a query and returns every row as column name to value. */
  public static List<Map<String, Object>> query(String url, String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(
                rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT),
                rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The single value of a one-row, one-column query. */
  public static Object value(String url, String sql, Object... params) {
    List<Map<String, Object>> rows = query(url, sql, params);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).values().iterator().next();
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof byte[] b) {
        ps.setBytes(i + 1, b);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (p instanceof Long n) {
        ps.setLong(i + 1, n);
      } else {
        ps.setString(i + 1, String.valueOf(p));
      }
    }
  }
}
