package io.olares.secrets.vault.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The subkeys of one vault key, each derived with HKDF-SHA256 under its own label bound to the
 * vault id, and the keyed computations the vault makes with them. The vault key itself is not kept.
 * {@link #close()} overwrites every subkey. Thread-safe until closed.
 *
 * <pre>
 * vault key ──HKDF──┬─ value   AES-256-GCM key for item fields
 *                   ├─ name    AES-256-GCM key for item names (with kind)
 *                   ├─ index   HMAC key of the blind name index
 *                   ├─ leaf    HMAC key of the per-item leaf tags
 *                   ├─ bucket  HMAC key of the bucket rows
 *                   └─ header  HMAC key of the vault header (KDF fields, wrapped key, trust list)
 * </pre>
 */
public final class KeyRing implements AutoCloseable {
  /** Number of buckets the blind index is divided into (the top 12 bits). */
  public static final int BUCKETS = 4096;

  private static final String PREFIX = "olares-secrets/vault/v1/";

  private final String vaultId;
  private final byte[] valueKey;
  private final byte[] nameKey;
  private final byte[] indexKey;
  private final byte[] leafKey;
  private final byte[] bucketKey;
  private final byte[] headerKey;

  private KeyRing(String vaultId, byte[] vaultKey) {
    this.vaultId = vaultId;
    this.valueKey = subkey(vaultKey, vaultId, "value");
    this.nameKey = subkey(vaultKey, vaultId, "name");
    this.indexKey = subkey(vaultKey, vaultId, "index");
    this.leafKey = subkey(vaultKey, vaultId, "leaf");
    this.bucketKey = subkey(vaultKey, vaultId, "bucket");
    this.headerKey = subkey(vaultKey, vaultId, "header");
  }

  /** Derives the subkeys of {@code vaultKey}; the caller keeps (and wipes) the vault key. */
  public static KeyRing derive(byte[] vaultKey, String vaultId) {
    return new KeyRing(vaultId, vaultKey);
  }

  /** The key-encryption key: HKDF of the Argon2id master key, bound to the vault id. */
  public static byte[] keyEncryptionKey(byte[] masterKey, String vaultId) {
    return subkey(masterKey, vaultId, "kek");
  }

  private static byte[] subkey(byte[] ikm, String vaultId, String label) {
    byte[] info = (PREFIX + label + "/" + vaultId).getBytes(StandardCharsets.UTF_8);
    return Hkdf.sha256(ikm, null, info, 32);
  }

  /** The vault id these keys are bound to. */
  public String vaultId() {
    return vaultId;
  }

  /** The AES key for item fields. */
  public byte[] valueKey() {
    return valueKey;
  }

  /** The AES key for item names. */
  public byte[] nameKey() {
    return nameKey;
  }

  /** The blind index of an item name: HMAC-SHA256 under the index key. */
  public byte[] nameIndex(String name) {
    return Hmac.sha256(indexKey, Encoder.domain(PREFIX + "index").text(name).toByteArray());
  }

  /** The bucket a blind index falls in: its top 12 bits. */
  public static int bucketOf(byte[] nameIndex) {
    return ((nameIndex[0] & 0xff) << 4) | ((nameIndex[1] & 0xff) >>> 4);
  }

  /**
   * The associated data of an item ciphertext: the part ({@code name} or {@code value}), the vault
   * id and every public column of the row, so a ciphertext moved to another row, item, version or
   * classification no longer decrypts.
   */
  public byte[] itemAssociatedData(String part, ItemRow.Leaf leaf) {
    return Encoder.domain(PREFIX + "item")
        .text(part)
        .text(vaultId)
        .bytes(leaf.itemId())
        .bytes(leaf.nameIndex())
        .u64(leaf.version())
        .text(leaf.classification())
        .u64(leaf.createdAt())
        .u64(leaf.updatedAt())
        .toByteArray();
  }

  /** The keyed tag of one item's public columns; a bucket's digest is the XOR of its tags. */
  public byte[] leafTag(ItemRow.Leaf leaf) {
    return Hmac.sha256(
        leafKey,
        Encoder.domain(PREFIX + "leaf")
            .text(vaultId)
            .bytes(leaf.itemId())
            .bytes(leaf.nameIndex())
            .u32(leaf.bucket())
            .u64(leaf.version())
            .text(leaf.classification())
            .u64(leaf.createdAt())
            .u64(leaf.updatedAt())
            .toByteArray());
  }

  /** The XOR of the leaf tags of {@code leaves} (32 zero bytes for none). */
  public byte[] digest(List<ItemRow.Leaf> leaves) {
    byte[] acc = new byte[Hmac.BYTES];
    for (ItemRow.Leaf leaf : leaves) {
      xorInto(acc, leafTag(leaf));
    }
    return acc;
  }

  /** XORs {@code b} into {@code acc}. */
  public static void xorInto(byte[] acc, byte[] b) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] ^= b[i];
    }
  }

  /** The MAC of a bucket row. */
  public byte[] bucketMac(int bucket, long counter, byte[] digest) {
    return Hmac.sha256(
        bucketKey,
        Encoder.domain(PREFIX + "bucket")
            .text(vaultId)
            .u32(bucket)
            .u64(counter)
            .bytes(digest)
            .toByteArray());
  }

  /** True where the bucket row's MAC holds. */
  public boolean verifyBucket(BucketRow row) {
    return row.digest() != null
        && Hmac.verify(
            bucketKey,
            Encoder.domain(PREFIX + "bucket")
                .text(vaultId)
                .u32(row.bucket())
                .u64(row.counter())
                .bytes(row.digest())
                .toByteArray(),
            row.mac());
  }

  /** The MAC of a header. */
  public byte[] headerMac(HeaderRow header) {
    return Hmac.sha256(headerKey, header.macInput());
  }

  /** True where the header's MAC holds. */
  public boolean verifyHeader(HeaderRow header) {
    return Hmac.verify(headerKey, header.macInput(), header.mac());
  }

  /** The proof, under this (the previous) key, that {@code next} is a genuine rotation. */
  public byte[] rotationProof(HeaderRow next) {
    return Hmac.sha256(headerKey, next.rotationInput());
  }

  /** True where {@code header}'s rotation proof was made with this key. */
  public boolean verifyRotationProof(HeaderRow header) {
    return Hmac.verify(headerKey, header.rotationInput(), header.rotationProof());
  }

  /** Overwrites every subkey. Idempotent. */
  @Override
  public void close() {
    for (byte[] k : new byte[][] {valueKey, nameKey, indexKey, leafKey, bucketKey, headerKey}) {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "KeyRing[" + vaultId + "]";
  }
}
