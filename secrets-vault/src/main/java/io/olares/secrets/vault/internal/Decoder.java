package io.olares.secrets.vault.internal;

import io.olares.secrets.IntegrityException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link Encoder} wrote. Every read checks bounds; malformed input raises {@link
 * IntegrityException}, since the vault only decodes bytes it has already authenticated. Not
 * thread-safe.
 */
public final class Decoder {
  private final byte[] data;
  private final String what;
  private int pos;

  /** A decoder over {@code data}; {@code what} names the structure in errors. */
  public Decoder(byte[] data, String what) {
    this.data = data;
    this.what = what;
  }

  /** One unsigned byte. */
  public int u8() {
    need(1);
    return data[pos++] & 0xff;
  }

  /** Two bytes, big-endian, unsigned. */
  public int u16() {
    need(2);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Four bytes, big-endian, unsigned. */
  public long u32() {
    need(4);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (data[pos++] & 0xff);
    }
    return v;
  }

  /** Bytes with a four-byte length. */
  public byte[] bytes() {
    long n = u32();
    if (n > remaining()) {
      throw malformed();
    }
    return take((int) n);
  }

  /** Bytes with a two-byte length. */
  public byte[] shortBytes() {
    int n = u16();
    if (n > remaining()) {
      throw malformed();
    }
    return take(n);
  }

  /** Strict UTF-8 text with a two-byte length. */
  public String shortText() {
    return utf8(shortBytes());
  }

  /** Everything left. */
  public byte[] rest() {
    return take(remaining());
  }

  /** Fails unless every byte was read. */
  public void end() {
    if (pos != data.length) {
      throw malformed();
    }
  }

  /** Bytes not yet read. */
  public int remaining() {
    return data.length - pos;
  }

  /** Strict UTF-8 decoding; invalid text is an integrity failure. */
  public String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed();
    }
  }

  private byte[] take(int n) {
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  private void need(int n) {
    if (remaining() < n) {
      throw malformed();
    }
  }

  private IntegrityException malformed() {
    return new IntegrityException(what + " is malformed");
  }
}
