package io.olares.secrets.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The byte format of one audit line, shared by the writer and the verifier.
 *
 * <p>A line is a JSON object whose members are, in order: {@code time, app, operation, reference,
 * classification, decision, outcome, durationMicros, seq, prev, hash}; a tally of cache-served
 * reads ({@link AuditEvent#isTally()}) has {@code count} and {@code until} between {@code
 * durationMicros} and {@code seq}. {@code prev} is the hex SHA-256 of the previous line's bytes
 * (without its line end; 64 zeros for the first line). {@code hash} is the hex SHA-256 of the
 * line's own bytes with the {@code ,"hash":"..."} member removed, that is of the object that ends
 * after {@code prev}. Both are computed over exact bytes, so any change to a line shows.
 */
final class AuditLines {
  static final String ZERO_HASH = "0".repeat(64);
  private static final byte[] HASH_OPEN = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HASH_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);
  static final int SUFFIX_LENGTH = HASH_OPEN.length + 64 + HASH_CLOSE.length;
  private static final JsonFactory JSON = new JsonFactory();

  private AuditLines() {}

  /** The line for {@code event} at {@code seq} after a line whose hash is {@code prev}. */
  static byte[] encode(AuditEvent event, long seq, String prev) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(body)) {
      g.writeStartObject();
      g.writeStringField("time", event.time().toString());
      g.writeStringField("app", event.app());
      g.writeStringField("operation", event.operation().wireName());
      g.writeStringField("reference", event.reference());
      if (event.classification() == null) {
        g.writeNullField("classification");
      } else {
        g.writeStringField("classification", event.classification().name());
      }
      g.writeStringField("decision", event.decision());
      g.writeStringField("outcome", event.outcome());
      g.writeNumberField("durationMicros", event.duration().toNanos() / 1000);
      if (event.isTally()) {
        g.writeNumberField("count", event.count());
        g.writeStringField("until", event.until().toString());
      }
      g.writeNumberField("seq", seq);
      g.writeStringField("prev", prev);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an audit line", e);
    }
    byte[] object = body.toByteArray();
    String hash = sha256Hex(object, object.length);
    byte[] line = Arrays.copyOf(object, object.length - 1 + SUFFIX_LENGTH);
    int at = object.length - 1;
    System.arraycopy(HASH_OPEN, 0, line, at, HASH_OPEN.length);
    at += HASH_OPEN.length;
    System.arraycopy(hash.getBytes(StandardCharsets.US_ASCII), 0, line, at, 64);
    at += 64;
    System.arraycopy(HASH_CLOSE, 0, line, at, HASH_CLOSE.length);
    return line;
  }

  /**
   * The hash a line claims for itself, or null where the line does not end with a well-formed
   * {@code ,"hash":"<64 hex>"}} member.
   */
  static String claimedHash(byte[] line) {
    int n = line.length;
    if (n < SUFFIX_LENGTH + 2) {
      return null;
    }
    int start = n - SUFFIX_LENGTH;
    for (int i = 0; i < HASH_OPEN.length; i++) {
      if (line[start + i] != HASH_OPEN[i]) {
        return null;
      }
    }
    if (line[n - 2] != '"' || line[n - 1] != '}') {
      return null;
    }
    String hex = new String(line, start + HASH_OPEN.length, 64, StandardCharsets.US_ASCII);
    return isHex64(hex) ? hex : null;
  }

  /** The hash of a line's body: its bytes without the hash member. */
  static String bodyHash(byte[] line) {
    byte[] body = Arrays.copyOf(line, line.length - SUFFIX_LENGTH + 1);
    body[body.length - 1] = '}';
    return sha256Hex(body, body.length);
  }

  static boolean isHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String sha256Hex(byte[] data, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, 0, length);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
