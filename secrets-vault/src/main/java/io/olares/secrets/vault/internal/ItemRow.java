package io.olares.secrets.vault.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code items}: public metadata (random id, blind index, bucket, version,
 * classification, times) and two AES-GCM ciphertexts (the name with the kind, and the fields).
 */
public record ItemRow(
    byte[] itemId,
    byte[] nameIndex,
    int bucket,
    long version,
    String classification,
    long createdAt,
    long updatedAt,
    byte[] nameNonce,
    byte[] nameCiphertext,
    byte[] valueNonce,
    byte[] valueCiphertext) {

  private static final String COLUMNS =
      "item_id, name_index, bucket, version, classification, created_at, updated_at, name_nonce,"
          + " name_ct, value_nonce, value_ct";

  /** The public columns only: what a bucket check reads for each item. */
  public record Leaf(
      byte[] itemId,
      byte[] nameIndex,
      int bucket,
      long version,
      String classification,
      long createdAt,
      long updatedAt) {}

  /** This row's public columns. */
  public Leaf leaf() {
    return new Leaf(itemId, nameIndex, bucket, version, classification, createdAt, updatedAt);
  }

  /** The row with blind index {@code nameIndex}, or null. */
  public static ItemRow findByIndex(Connection c, byte[] nameIndex) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM items WHERE name_index = ?")) {
      ps.setBytes(1, nameIndex);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? from(rs) : null;
      }
    }
  }

  /** The row with id {@code itemId}, or null. */
  public static ItemRow findById(Connection c, byte[] itemId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM items WHERE item_id = ?")) {
      ps.setBytes(1, itemId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? from(rs) : null;
      }
    }
  }

  /** The public columns of every row filed under {@code bucket}. */
  public static List<Leaf> leavesOf(Connection c, int bucket) throws SQLException {
    List<Leaf> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT item_id, name_index, bucket, version, classification, created_at, updated_at"
                + " FROM items WHERE bucket = ?")) {
      ps.setInt(1, bucket);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Leaf(
                  rs.getBytes(1),
                  rs.getBytes(2),
                  rs.getInt(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getLong(7)));
        }
      }
    }
    return out;
  }

  /** Every row without its value ciphertext (for listing names). */
  public static List<ItemRow> allWithoutValues(Connection c) throws SQLException {
    List<ItemRow> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT item_id, name_index, bucket, version, classification, created_at,"
                    + " updated_at, name_nonce, name_ct FROM items");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ItemRow(
                rs.getBytes(1),
                rs.getBytes(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getBytes(8),
                rs.getBytes(9),
                null,
                null));
      }
    }
    return out;
  }

  /** Inserts this row, or replaces the row with the same id. */
  public void upsert(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO items ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET"
                + " name_index = excluded.name_index, bucket = excluded.bucket,"
                + " version = excluded.version, classification = excluded.classification,"
                + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
                + " name_nonce = excluded.name_nonce, name_ct = excluded.name_ct,"
                + " value_nonce = excluded.value_nonce, value_ct = excluded.value_ct")) {
      ps.setBytes(1, itemId);
      ps.setBytes(2, nameIndex);
      ps.setInt(3, bucket);
      ps.setLong(4, version);
      ps.setString(5, classification);
      ps.setLong(6, createdAt);
      ps.setLong(7, updatedAt);
      ps.setBytes(8, nameNonce);
      ps.setBytes(9, nameCiphertext);
      ps.setBytes(10, valueNonce);
      ps.setBytes(11, valueCiphertext);
      ps.executeUpdate();
    }
  }

  /** Deletes the row with id {@code itemId}; true where one was deleted. */
  public static boolean delete(Connection c, byte[] itemId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM items WHERE item_id = ?")) {
      ps.setBytes(1, itemId);
      return ps.executeUpdate() == 1;
    }
  }

  private static ItemRow from(ResultSet rs) throws SQLException {
    return new ItemRow(
        rs.getBytes(1),
        rs.getBytes(2),
        rs.getInt(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getLong(7),
        rs.getBytes(8),
        rs.getBytes(9),
        rs.getBytes(10),
        rs.getBytes(11));
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "ItemRow[version " + version + "]";
  }
}
