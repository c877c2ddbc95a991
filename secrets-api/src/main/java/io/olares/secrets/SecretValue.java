package io.olares.secrets;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of a secret. {@link #toString()} is redacted, equality is by identity (use {@link
 * #equalsConstantTime(SecretValue)} to compare contents), {@link #close()} overwrites the bytes,
 * and the class is not {@code Serializable}. Reading the value takes a method whose name starts
 * with {@code reveal}, so every place that does so stands out in review.
 *
 * <p>Thread-safe. After {@link #close()} every {@code reveal} method throws {@link
 * IllegalStateException}.
 */
public final class SecretValue implements AutoCloseable {
  private final byte[] bytes;
  private volatile boolean closed;

  private SecretValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A value holding a copy of {@code bytes}; the caller may wipe its array afterwards. */
  public static SecretValue ofBytes(byte[] bytes) {
    return new SecretValue(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** A value holding the UTF-8 encoding of {@code text}. */
  public static SecretValue ofString(String text) {
    return new SecretValue(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
  }

  /** A value holding the UTF-8 encoding of {@code chars}; the caller may wipe its array. */
  public static SecretValue ofChars(char[] chars) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return new SecretValue(out);
  }

  /** Takes ownership of {@code bytes} without copying: the caller must not keep the array. */
  public static SecretValue adopt(byte[] bytes) {
    return new SecretValue(Objects.requireNonNull(bytes, "bytes"));
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the raw bytes. The caller should wipe the copy when done. */
  public byte[] revealBytes() {
    checkOpen();
    return bytes.clone();
  }

  /** The value decoded as UTF-8 (malformed input replaced); prefer {@link #revealChars()}. */
  public String revealString() {
    checkOpen();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The value decoded as UTF-8 into a fresh array the caller can wipe. */
  public char[] revealChars() {
    checkOpen();
    CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
    char[] out = new char[cb.remaining()];
    cb.get(out);
    if (cb.hasArray()) {
      Arrays.fill(cb.array(), '\0');
    }
    return out;
  }

  /** True where the bytes are well-formed UTF-8 text. */
  public boolean isUtf8() {
    checkOpen();
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** A new, independent value with the same bytes. */
  public SecretValue copy() {
    checkOpen();
    return new SecretValue(bytes.clone());
  }

  /**
   * A new, independent value with the same bytes, or null where this value is closed, including
   * closed by another thread while the bytes were being copied. Never returns wiped or partly wiped
   * bytes: {@link #close()} marks the value closed before it wipes, and this method copies, then
   * fences, then checks the mark (the validation of an optimistic read), wiping its copy where the
   * mark is set. For caches that hand out copies of values another thread may close.
   */
  public SecretValue tryCopy() {
    if (closed) {
      return null;
    }
    byte[] copy = bytes.clone();
    VarHandle.acquireFence();
    if (closed) {
      Arrays.fill(copy, (byte) 0);
      return null;
    }
    return new SecretValue(copy);
  }

  /** Compares contents in time that depends only on the lengths. */
  public boolean equalsConstantTime(SecretValue other) {
    Objects.requireNonNull(other, "other");
    checkOpen();
    other.checkOpen();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Compares contents with raw bytes in time that depends only on the lengths. */
  public boolean equalsConstantTime(byte[] other) {
    checkOpen();
    return MessageDigest.isEqual(bytes, Objects.requireNonNull(other, "other"));
  }

  /** True once {@link #close()} has wiped the bytes. */
  public boolean isClosed() {
    return closed;
  }

  /** Overwrites the bytes with zeros; idempotent. */
  @Override
  public void close() {
    closed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("secret value was closed and wiped");
    }
  }

  /** Always {@code SecretValue[redacted]}: the value never reaches a log through this method. */
  @Override
  public String toString() {
    return "SecretValue[redacted]";
  }
}
