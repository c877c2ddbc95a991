package io.olares.secrets.vault.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of {@code buckets}: for the items whose blind index falls in this bucket, a write counter
 * and the XOR of their keyed leaf tags, with a MAC over both. A bucket without a row is empty.
 */
public record BucketRow(int bucket, long counter, byte[] digest, byte[] mac) {
  /** Reads the row of {@code bucket}, or null where none was written yet. */
  public static BucketRow read(Connection c, int bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT counter, digest, mac FROM buckets WHERE bucket = ?")) {
      ps.setInt(1, bucket);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new BucketRow(bucket, rs.getLong(1), rs.getBytes(2), rs.getBytes(3))
            : null;
      }
    }
  }

  /** Inserts or replaces this bucket's row. */
  public void upsert(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO buckets (bucket, counter, digest, mac) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (bucket) DO UPDATE SET counter = excluded.counter,"
                + " digest = excluded.digest, mac = excluded.mac")) {
      ps.setInt(1, bucket);
      ps.setLong(2, counter);
      ps.setBytes(3, digest);
      ps.setBytes(4, mac);
      ps.executeUpdate();
    }
  }

  /** Deletes every bucket row (a rotation rewrites them all). */
  public static void deleteAll(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM buckets")) {
      ps.executeUpdate();
    }
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return bucket;
  }

  @Override
  public String toString() {
    return "BucketRow[" + bucket + ", counter " + counter + "]";
  }
}
