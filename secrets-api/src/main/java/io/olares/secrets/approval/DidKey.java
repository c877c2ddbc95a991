package io.olares.secrets.approval;

import io.olares.secrets.approval.InvalidDidException.Problem;
import java.util.Objects;

/**
 * The {@code did:key} form of an Ed25519 public key, as LarePass uses it: {@code did:key:z}
 * followed by base58btc of the multicodec prefix {@code 0xed 0x01} and the 32-byte key. Stateless
 * and thread-safe.
 */
public final class DidKey {
  /** Every Ed25519 did:key starts with this. */
  public static final String PREFIX = "did:key:z";

  /** The longest text {@link #decode} accepts; an Ed25519 did:key has 56 characters. */
  public static final int MAX_LENGTH = 128;

  private static final int KEY_LENGTH = 32;
  private static final byte CODEC_0 = (byte) 0xed;
  private static final byte CODEC_1 = 0x01;

  private DidKey() {}

  /**
   * The did:key of a raw 32-byte Ed25519 public key.
   *
   * @throws IllegalArgumentException where the key is not 32 bytes
   */
  public static String encode(byte[] ed25519PublicKey) {
    Objects.requireNonNull(ed25519PublicKey, "ed25519PublicKey");
    if (ed25519PublicKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has 32 bytes, not " + ed25519PublicKey.length);
    }
    byte[] data = new byte[2 + KEY_LENGTH];
    data[0] = CODEC_0;
    data[1] = CODEC_1;
    System.arraycopy(ed25519PublicKey, 0, data, 2, KEY_LENGTH);
    return PREFIX + Base58.encode(data);
  }

  /**
   * The raw 32-byte Ed25519 public key a did:key names.
   *
   * @throws InvalidDidException naming the problem: prefix, base58, multicodec or length
   */
  public static byte[] decode(String did) {
    Objects.requireNonNull(did, "did");
    if (!did.startsWith(PREFIX)) {
      throw new InvalidDidException(
          Problem.WRONG_PREFIX,
          "'" + shortForm(did) + "' is not a did:key in base58btc: it must start with " + PREFIX);
    }
    if (did.length() > MAX_LENGTH) {
      throw new InvalidDidException(
          Problem.WRONG_LENGTH,
          "did:key of "
              + did.length()
              + " characters is too long for an Ed25519 key (at most "
              + MAX_LENGTH
              + ")");
    }
    byte[] data;
    try {
      data = Base58.decode(did.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new InvalidDidException(
          Problem.BAD_BASE58,
          "did:key '" + shortForm(did) + "' is not base58btc: " + e.getMessage());
    }
    if (data.length >= 2 && (data[0] != CODEC_0 || data[1] != CODEC_1)) {
      throw new InvalidDidException(
          Problem.WRONG_MULTICODEC,
          String.format(
              "did:key '%s' names a key with multicodec prefix 0x%02x 0x%02x, not Ed25519 (0xed"
                  + " 0x01)",
              shortForm(did), data[0] & 0xff, data[1] & 0xff));
    }
    if (data.length != 2 + KEY_LENGTH) {
      throw new InvalidDidException(
          Problem.WRONG_LENGTH,
          "did:key '"
              + shortForm(did)
              + "' holds "
              + Math.max(0, data.length - 2)
              + " key bytes; an Ed25519 public key has 32");
    }
    byte[] key = new byte[KEY_LENGTH];
    System.arraycopy(data, 2, key, 0, KEY_LENGTH);
    return key;
  }

  /** True where {@code did} decodes as an Ed25519 did:key. */
  public static boolean isValid(String did) {
    try {
      decode(did);
      return true;
    } catch (InvalidDidException e) {
      return false;
    }
  }

  private static String shortForm(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 24; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 24 ? sb + "..." : sb.toString();
  }
}
