package io.olares.secrets.vault.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the unambiguous byte strings the vault authenticates: fixed-width big-endian integers and
 * length-prefixed byte strings, so that no two different field lists encode to the same bytes. Not
 * thread-safe.
 */
public final class Encoder {
  private final ByteArrayOutputStream out;

  /** An empty encoder. */
  public Encoder() {
    this.out = new ByteArrayOutputStream(128);
  }

  /** An encoder that starts with a length-prefixed domain label. */
  public static Encoder domain(String label) {
    return new Encoder().text(label);
  }

  /** Appends one byte. */
  public Encoder u8(int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    out.write(value);
    return this;
  }

  /** Appends two bytes, big-endian. */
  public Encoder u16(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  /** Appends four bytes, big-endian. */
  public Encoder u32(long value) {
    if (value < 0 || value > 0xffffffffL) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  /** Appends eight bytes, big-endian. */
  public Encoder u64(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  /** Appends a four-byte length and the bytes. */
  public Encoder bytes(byte[] value) {
    u32(value.length);
    out.writeBytes(value);
    return this;
  }

  /** Appends a two-byte length and the bytes (for short strings and field names). */
  public Encoder shortBytes(byte[] value) {
    u16(value.length);
    out.writeBytes(value);
    return this;
  }

  /** Appends UTF-8 text with a four-byte length. */
  public Encoder text(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends bytes without a length (only for the last, self-delimiting part). */
  public Encoder raw(byte[] value) {
    out.writeBytes(value);
    return this;
  }

  /** The encoded bytes. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /**
   * The encoded bytes, after which the internal buffer is overwritten; use for plaintext that must
   * not linger.
   */
  public byte[] toByteArrayAndWipe() {
    byte[] result = out.toByteArray();
    out.reset();
    out.writeBytes(new byte[result.length]);
    out.reset();
    return result;
  }
}
