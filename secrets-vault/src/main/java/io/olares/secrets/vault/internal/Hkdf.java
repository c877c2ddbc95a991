package io.olares.secrets.vault.internal;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869) through Bouncy Castle. Thread-safe. */
public final class Hkdf {
  /** The longest output HKDF-SHA256 defines: 255 blocks of 32 bytes. */
  public static final int MAX_OUTPUT = 255 * 32;

  private Hkdf() {}

  /**
   * Extracts from {@code ikm} with {@code salt} (null or empty means the all-zero salt) and expands
   * to {@code length} bytes bound to {@code info}.
   *
   * @throws IllegalArgumentException where {@code length} is outside 1..8160
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > MAX_OUTPUT) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output must be 1.." + MAX_OUTPUT + " bytes, not " + length);
    }
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }
}
