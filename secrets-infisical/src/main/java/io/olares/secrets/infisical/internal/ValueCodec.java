package io.olares.secrets.infisical.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Carries arbitrary bytes in Infisical, which stores text and alters some of it: it trims white
 * space around a value (keeping one final line feed). A value travels as its UTF-8 text where that
 * text comes back unchanged; otherwise (bytes that are not UTF-8, surrounding white space, a NUL,
 * or text that itself starts with the marker) it travels as {@value #MARKER} followed by standard
 * Base64. Reading reverses this; a stored value that starts with the marker but is not valid Base64
 * is returned as its own text.
 *
 * <p>The marker is deliberately not {@code base64:}: Laravel's {@code APP_KEY} and similar settings
 * are commonly stored as the literal text {@code base64:...} and must reach the app unchanged.
 */
public final class ValueCodec {
  /** The prefix of a Base64-carried value. */
  public static final String MARKER = "olares-b64:";

  private ValueCodec() {}

  /** The text to store for {@code bytes}; the caller wipes both arrays. */
  public static char[] encode(byte[] bytes) {
    char[] text = utf8(bytes);
    if (text != null && survives(text) && !startsWithMarker(text)) {
      return text;
    }
    if (text != null) {
      Arrays.fill(text, '\0');
    }
    byte[] b64 = Base64.getEncoder().encode(bytes);
    char[] out = new char[MARKER.length() + b64.length];
    MARKER.getChars(0, MARKER.length(), out, 0);
    for (int i = 0; i < b64.length; i++) {
      out[MARKER.length() + i] = (char) b64[i];
    }
    Arrays.fill(b64, (byte) 0);
    return out;
  }

  /** True where {@code bytes} will be stored as marked Base64. */
  public static boolean needsBase64(byte[] bytes) {
    char[] text = encode(bytes);
    try {
      return startsWithMarker(text);
    } finally {
      Arrays.fill(text, '\0');
    }
  }

  /** The bytes a stored text stands for; the caller wipes both arrays. */
  public static byte[] decode(char[] stored) {
    if (startsWithMarker(stored)) {
      byte[] b64 = new byte[stored.length - MARKER.length()];
      for (int i = 0; i < b64.length; i++) {
        char c = stored[MARKER.length() + i];
        b64[i] = c < 128 ? (byte) c : (byte) '!';
      }
      try {
        return Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        // not ours: fall through and return the text as it is
      } finally {
        Arrays.fill(b64, (byte) 0);
      }
    }
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(stored));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  private static char[] utf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer cb = decoder.decode(ByteBuffer.wrap(bytes));
      char[] out = new char[cb.remaining()];
      cb.get(out);
      if (cb.hasArray()) {
        Arrays.fill(cb.array(), '\0');
      }
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** True where the server keeps {@code text} as it is (no NUL, nothing for its trim to cut). */
  static boolean survives(char[] text) {
    for (char c : text) {
      if (c == '\0') {
        return false;
      }
    }
    int end = text.length > 0 && text[text.length - 1] == '\n' ? text.length - 1 : text.length;
    return end == 0 || !isJsSpace(text[0]) && !isJsSpace(text[end - 1]);
  }

  /** The white space JavaScript's {@code String.prototype.trim} removes. */
  static boolean isJsSpace(char c) {
    return c == '\t'
        || c == '\n'
        || c == 0x0B
        || c == '\f'
        || c == '\r'
        || c == ' '
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000
        || c == 0xFEFF;
  }

  private static boolean startsWithMarker(char[] text) {
    if (text.length < MARKER.length()) {
      return false;
    }
    for (int i = 0; i < MARKER.length(); i++) {
      if (text[i] != MARKER.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
