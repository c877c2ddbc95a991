package io.olares.secrets.vault.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The single row of {@code vault_header}: the vault's identity, its Argon2id parameters and salt,
 * the wrapped vault key, the trusted DIDs and the MAC over all of it. Nothing here is secret; the
 * MAC (under a subkey of the vault key) and the wrap's associated data make it tamper-evident.
 * After a rotation, {@code rotationProof} is a MAC of the new header under the previous key's
 * header subkey, so a process still holding the previous key can tell a real rotation from a forged
 * key generation.
 */
public record HeaderRow(
    String vaultId,
    int format,
    String kdfAlgorithm,
    int kdfVersion,
    int memoryKib,
    int iterations,
    int parallelism,
    byte[] salt,
    int keyGeneration,
    byte[] wrappedKey,
    byte[] rotationProof,
    long trustRevision,
    String trustedDids,
    long createdAt,
    long updatedAt,
    byte[] mac) {

  /** The header format this build writes. */
  public static final int FORMAT = 1;

  /** The only key derivation this build accepts. */
  public static final String KDF = "argon2id";

  private static final String COLUMNS =
      "vault_id, format, kdf_algorithm, kdf_version, kdf_memory_kib, kdf_iterations,"
          + " kdf_parallelism, kdf_salt, key_generation, wrapped_key, rotation_proof,"
          + " trust_revision, trusted_dids, created_at, updated_at, header_mac";

  /** The associated data that binds the wrapped vault key to the header's KDF fields. */
  public byte[] wrapAssociatedData() {
    return Encoder.domain("olares-secrets/vault/wrap/v1")
        .text(vaultId)
        .u32(format)
        .text(kdfAlgorithm)
        .u32(kdfVersion)
        .u32(memoryKib)
        .u32(iterations)
        .u32(parallelism)
        .bytes(salt)
        .u32(keyGeneration)
        .toByteArray();
  }

  /** The bytes the header MAC covers: every column but the MAC. */
  public byte[] macInput() {
    return Encoder.domain("olares-secrets/vault/header/v1")
        .bytes(baseInput())
        .bytes(rotationProof)
        .toByteArray();
  }

  /** The bytes a rotation proof covers: every column but the proof and the MAC. */
  public byte[] rotationInput() {
    return Encoder.domain("olares-secrets/vault/rotation/v1").bytes(baseInput()).toByteArray();
  }

  private byte[] baseInput() {
    return new Encoder()
        .text(vaultId)
        .u32(format)
        .text(kdfAlgorithm)
        .u32(kdfVersion)
        .u32(memoryKib)
        .u32(iterations)
        .u32(parallelism)
        .bytes(salt)
        .u32(keyGeneration)
        .bytes(wrappedKey)
        .u64(trustRevision)
        .text(trustedDids)
        .u64(createdAt)
        .u64(updatedAt)
        .toByteArray();
  }

  /** The trusted DIDs as a sorted set. */
  public SortedSet<String> trustedSet() {
    SortedSet<String> set = new TreeSet<>();
    for (String line : trustedDids.split("\n", -1)) {
      if (!line.isEmpty()) {
        set.add(line);
      }
    }
    return set;
  }

  /** The stored form of a DID set: sorted, one per line. */
  public static String joinDids(Collection<String> dids) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(dids));
    return String.join("\n", sorted);
  }

  /** A header for a new vault: no key wrapped, no trust, generation 1, no MAC yet. */
  public static HeaderRow fresh(
      String vaultId, int memoryKib, int iterations, int parallelism, byte[] salt, long now) {
    return new HeaderRow(
        vaultId,
        FORMAT,
        KDF,
        Argon2id.VERSION,
        memoryKib,
        iterations,
        parallelism,
        salt,
        1,
        new byte[0],
        new byte[0],
        0,
        "",
        now,
        now,
        new byte[0]);
  }

  /** This header with another MAC. */
  public HeaderRow withMac(byte[] newMac) {
    return new HeaderRow(
        vaultId,
        format,
        kdfAlgorithm,
        kdfVersion,
        memoryKib,
        iterations,
        parallelism,
        salt,
        keyGeneration,
        wrappedKey,
        rotationProof,
        trustRevision,
        trustedDids,
        createdAt,
        updatedAt,
        newMac);
  }

  /** This header with another wrapped key (MAC to be recomputed). */
  public HeaderRow withWrappedKey(byte[] newWrappedKey) {
    return new HeaderRow(
        vaultId,
        format,
        kdfAlgorithm,
        kdfVersion,
        memoryKib,
        iterations,
        parallelism,
        salt,
        keyGeneration,
        newWrappedKey,
        rotationProof,
        trustRevision,
        trustedDids,
        createdAt,
        updatedAt,
        new byte[0]);
  }

  /**
   * This header with new Argon2id parameters and salt, and no wrapped key yet (MAC to be
   * recomputed).
   */
  public HeaderRow withKdf(
      int newMemoryKib, int newIterations, int newParallelism, byte[] newSalt, long now) {
    return new HeaderRow(
        vaultId,
        format,
        KDF,
        Argon2id.VERSION,
        newMemoryKib,
        newIterations,
        newParallelism,
        newSalt,
        keyGeneration,
        new byte[0],
        rotationProof,
        trustRevision,
        trustedDids,
        createdAt,
        Math.max(now, updatedAt),
        new byte[0]);
  }

  /** This header at the next key generation, with no wrapped key and no proof yet. */
  public HeaderRow nextGeneration(long now) {
    return new HeaderRow(
        vaultId,
        format,
        kdfAlgorithm,
        kdfVersion,
        memoryKib,
        iterations,
        parallelism,
        salt,
        keyGeneration + 1,
        new byte[0],
        new byte[0],
        trustRevision,
        trustedDids,
        createdAt,
        Math.max(now, updatedAt),
        new byte[0]);
  }

  /** This header with a rotation proof (MAC to be recomputed). */
  public HeaderRow withRotationProof(byte[] proof) {
    return new HeaderRow(
        vaultId,
        format,
        kdfAlgorithm,
        kdfVersion,
        memoryKib,
        iterations,
        parallelism,
        salt,
        keyGeneration,
        wrappedKey,
        proof,
        trustRevision,
        trustedDids,
        createdAt,
        updatedAt,
        new byte[0]);
  }

  /** This header with another trust list and revision (MAC to be recomputed). */
  public HeaderRow withTrust(String dids, long revision, long now) {
    return new HeaderRow(
        vaultId,
        format,
        kdfAlgorithm,
        kdfVersion,
        memoryKib,
        iterations,
        parallelism,
        salt,
        keyGeneration,
        wrappedKey,
        rotationProof,
        revision,
        dids,
        createdAt,
        Math.max(now, updatedAt),
        new byte[0]);
  }

  /** Reads the header, or null where the vault has none yet. */
  public static HeaderRow read(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM vault_header WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      return new HeaderRow(
          rs.getString(1),
          rs.getInt(2),
          rs.getString(3),
          rs.getInt(4),
          rs.getInt(5),
          rs.getInt(6),
          rs.getInt(7),
          rs.getBytes(8),
          rs.getInt(9),
          rs.getBytes(10),
          rs.getBytes(11),
          rs.getLong(12),
          rs.getString(13),
          rs.getLong(14),
          rs.getLong(15),
          rs.getBytes(16));
    }
  }

  /** Inserts this header as the vault's only one. */
  public void insert(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO vault_header (id, "
                + COLUMNS
                + ") VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bind(ps);
      ps.executeUpdate();
    }
  }

  /** Replaces the stored header with this one. */
  public void update(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE vault_header SET vault_id = ?, format = ?, kdf_algorithm = ?, kdf_version = ?,"
                + " kdf_memory_kib = ?, kdf_iterations = ?, kdf_parallelism = ?, kdf_salt = ?,"
                + " key_generation = ?, wrapped_key = ?, rotation_proof = ?, trust_revision = ?,"
                + " trusted_dids = ?,"
                + " created_at = ?, updated_at = ?, header_mac = ? WHERE id = 1")) {
      bind(ps);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("vault header row is missing", "02000");
      }
    }
  }

  private void bind(PreparedStatement ps) throws SQLException {
    ps.setString(1, vaultId);
    ps.setInt(2, format);
    ps.setString(3, kdfAlgorithm);
    ps.setInt(4, kdfVersion);
    ps.setInt(5, memoryKib);
    ps.setInt(6, iterations);
    ps.setInt(7, parallelism);
    ps.setBytes(8, salt);
    ps.setInt(9, keyGeneration);
    ps.setBytes(10, wrappedKey);
    ps.setBytes(11, rotationProof);
    ps.setLong(12, trustRevision);
    ps.setString(13, trustedDids);
    ps.setLong(14, createdAt);
    ps.setLong(15, updatedAt);
    ps.setBytes(16, mac);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeaderRow)) {
      return false;
    }
    HeaderRow h = (HeaderRow) o;
    return Arrays.equals(macInput(), h.macInput()) && Arrays.equals(mac, h.mac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mac);
  }

  @Override
  public String toString() {
    return "HeaderRow[" + vaultId + ", generation " + keyGeneration + "]";
  }
}
