package io.olares.secrets.approval;

import java.util.Arrays;
import java.util.Objects;

/**
 * The base58btc codec (Bitcoin's alphabet, {@code 1-9A-HJ-NP-Za-km-z}): each leading zero byte is
 * one leading {@code '1'}, the rest is the big-endian number in base 58. Used for {@code did:key}
 * identifiers. Stateless and thread-safe; the work grows with the square of the length, so callers
 * bound the input.
 */
public final class Base58 {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /** Encodes {@code data}; the empty array encodes to the empty string. */
  public static String encode(byte[] data) {
    Objects.requireNonNull(data, "data");
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    // digits in base 58, least significant first; log(256)/log(58) < 1.37
    byte[] digits = new byte[(data.length - zeros) * 137 / 100 + 1];
    int used = 0;
    for (int i = zeros; i < data.length; i++) {
      int carry = data[i] & 0xff;
      for (int j = 0; j < used; j++) {
        carry += (digits[j] & 0xff) << 8;
        digits[j] = (byte) (carry % 58);
        carry /= 58;
      }
      while (carry > 0) {
        digits[used++] = (byte) (carry % 58);
        carry /= 58;
      }
    }
    StringBuilder sb = new StringBuilder(zeros + used);
    for (int i = 0; i < zeros; i++) {
      sb.append('1');
    }
    for (int i = used - 1; i >= 0; i--) {
      sb.append(ALPHABET.charAt(digits[i]));
    }
    return sb.toString();
  }

  /**
   * Decodes base58btc text.
   *
   * @throws IllegalArgumentException naming the offset of the first character outside the alphabet
   */
  public static byte[] decode(String text) {
    Objects.requireNonNull(text, "text");
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    // bytes, least significant first; log(58)/log(256) < 0.74
    byte[] bytes = new byte[(text.length() - zeros) * 74 / 100 + 1];
    int used = 0;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEX[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException(
            "character at offset " + i + " is not in the base58btc alphabet");
      }
      int carry = digit;
      for (int j = 0; j < used; j++) {
        carry += (bytes[j] & 0xff) * 58;
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      while (carry > 0) {
        bytes[used++] = (byte) carry;
        carry >>>= 8;
      }
    }
    byte[] out = new byte[zeros + used];
    for (int i = 0; i < used; i++) {
      out[zeros + i] = bytes[used - 1 - i];
    }
    return out;
  }
}
