package io.olares.secrets.approval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.ApprovalRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A compact JWS in LarePass' shape: header exactly {@code {"alg":"EdDSA","kid":<did:key>}}, payload
 * {@code {"name","did","domain","time","challenge"}} with {@code time} the epoch milliseconds as a
 * string, signed with Ed25519 over {@code header.payload}.
 *
 * <p>{@link #parse} is strict: three base64url segments without padding and in canonical form, at
 * most {@link #MAX_LENGTH} characters, UTF-8 JSON objects without duplicate members, no algorithm
 * but EdDSA (so never {@code none} nor an HMAC), no {@code crit} and no other header member, a
 * {@code kid} that is an Ed25519 did:key, and a 64-byte signature. Every refusal is an {@link
 * ApprovalRejectedException} with {@link Reason#MALFORMED}. Parsing does not check the signature:
 * call {@link #verify()}.
 *
 * <p>Instances are immutable and thread-safe. A JWS carries no secret; {@link #toString()} still
 * shows only the signer and the time.
 */
public final class Jws {
  /** The only accepted {@code alg}. */
  public static final String ALGORITHM = "EdDSA";

  /** The longest compact JWS accepted, in characters. */
  public static final int MAX_LENGTH = 4096;

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
  private static final Pattern MILLIS = Pattern.compile("[0-9]{1,15}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String compact;
  private final String kid;
  private final byte[] publicKey;
  private final Payload payload;
  private final byte[] signingInput;
  private final byte[] signature;

  /**
   * The LarePass payload.
   *
   * @param name the user's Olares id, e.g. {@code alice@olares.com}
   * @param did the signer's did:key; equal to the header's {@code kid}
   * @param domain the domain the approval is for
   * @param time when it was signed (millisecond precision)
   * @param challenge the challenge signed, e.g. {@link ApprovalRequest#challenge()}
   */
  public record Payload(String name, String did, String domain, Instant time, String challenge) {
    /** Validates and truncates the time to milliseconds. */
    public Payload {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(did, "did");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(challenge, "challenge");
      time = Instant.ofEpochMilli(Objects.requireNonNull(time, "time").toEpochMilli());
    }
  }

  private Jws(
      String compact,
      String kid,
      byte[] publicKey,
      Payload payload,
      byte[] signingInput,
      byte[] signature) {
    this.compact = compact;
    this.kid = kid;
    this.publicKey = publicKey;
    this.payload = payload;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /**
   * Signs {@code payload} with {@code key}; the header's {@code kid} is the key's DID.
   *
   * @throws IllegalArgumentException where the payload's did is not the key's
   */
  public static String sign(DeviceKey key, Payload payload) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payload, "payload");
    if (!payload.did().equals(key.did())) {
      throw new IllegalArgumentException("the payload's did is not the signing key's did");
    }
    ObjectNode header = JSON.createObjectNode().put("alg", ALGORITHM).put("kid", key.did());
    ObjectNode body =
        JSON.createObjectNode()
            .put("name", payload.name())
            .put("did", payload.did())
            .put("domain", payload.domain())
            .put("time", Long.toString(payload.time().toEpochMilli()))
            .put("challenge", payload.challenge());
    return assemble(key, header.toString(), body.toString());
  }

  /** Encodes and signs the given JSON texts as they are; tests use it to forge odd tokens. */
  static String assemble(DeviceKey key, String headerJson, String payloadJson) {
    String input =
        ENCODER.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
            + "."
            + ENCODER.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] sig = key.sign(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + ENCODER.encodeToString(sig);
  }

  /**
   * Parses a compact JWS without checking its signature.
   *
   * @throws ApprovalRejectedException with {@link Reason#MALFORMED}, saying what is wrong
   */
  public static Jws parse(String compact) {
    if (compact == null) {
      throw malformed("no JWS was given");
    }
    if (compact.length() > MAX_LENGTH) {
      throw malformed(
          "JWS has " + compact.length() + " characters; at most " + MAX_LENGTH + " are accepted");
    }
    int dot1 = compact.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : compact.indexOf('.', dot1 + 1);
    if (dot2 < 0) {
      throw malformed("a compact JWS has three segments separated by '.'");
    }
    if (compact.indexOf('.', dot2 + 1) >= 0) {
      throw malformed("JWS has more than three segments");
    }
    byte[] headerBytes = decode("header", compact.substring(0, dot1));
    byte[] payloadBytes = decode("payload", compact.substring(dot1 + 1, dot2));
    byte[] signature = decode("signature", compact.substring(dot2 + 1));

    JsonNode header = object("header", headerBytes);
    String kid = header(header);
    byte[] publicKey;
    try {
      publicKey = DidKey.decode(kid);
    } catch (InvalidDidException e) {
      throw malformed("header kid is not an Ed25519 did:key (" + e.problem() + ")");
    }
    Payload payload = payload(object("payload", payloadBytes));
    if (signature.length != Ed25519.SIGNATURE_LENGTH) {
      throw malformed("signature has " + signature.length + " bytes; an Ed25519 signature has 64");
    }
    byte[] signingInput = compact.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    return new Jws(compact, kid, publicKey, payload, signingInput, signature);
  }

  private static String header(JsonNode header) {
    JsonNode alg = header.get("alg");
    if (alg == null) {
      throw malformed("header has no alg");
    }
    if (!alg.isTextual() || !alg.textValue().equals(ALGORITHM)) {
      throw malformed(
          "header alg "
              + (alg.isTextual() ? "'" + printable(alg.textValue()) + "'" : "of the wrong type")
              + " is not accepted; only EdDSA is");
    }
    if (header.has("crit")) {
      throw malformed("header has crit; no JWS extension is understood");
    }
    for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("alg") && !name.equals("kid")) {
        throw malformed(
            "header member '" + printable(name) + "' is not allowed; the header is alg and kid");
      }
    }
    JsonNode kid = header.get("kid");
    if (kid == null || !kid.isTextual()) {
      throw malformed("header has no kid string");
    }
    return kid.textValue();
  }

  private static Payload payload(JsonNode body) {
    String time = text(body, "time");
    if (!MILLIS.matcher(time).matches()) {
      throw malformed("payload time is not epoch milliseconds as a string of digits");
    }
    return new Payload(
        text(body, "name"),
        text(body, "did"),
        text(body, "domain"),
        Instant.ofEpochMilli(Long.parseLong(time)),
        text(body, "challenge"));
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null) {
      throw malformed("payload has no " + field);
    }
    if (!n.isTextual()) {
      throw malformed("payload " + field + " is not a string");
    }
    return n.textValue();
  }

  private static JsonNode object(String what, byte[] utf8) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed(what + " is not UTF-8");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw malformed(what + " is not a JSON object (invalid JSON or a duplicate member)");
    }
    if (node == null || !node.isObject()) {
      throw malformed(what + " is not a JSON object");
    }
    return node;
  }

  private static byte[] decode(String what, String segment) {
    if (segment.isEmpty()) {
      throw malformed(what + " segment is empty");
    }
    if (!BASE64URL.matcher(segment).matches()) {
      throw malformed(
          what + " segment is not base64url without padding ('=', '+', '/' are not allowed)");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(segment);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " segment has an impossible base64url length");
    }
    if (!ENCODER.encodeToString(bytes).equals(segment)) {
      throw malformed(what + " segment is not canonical base64url");
    }
    return bytes;
  }

  private static ApprovalRejectedException malformed(String message) {
    return new ApprovalRejectedException(Reason.MALFORMED, message);
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 32; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 32 ? sb + "..." : sb.toString();
  }

  /** True where the signature is valid under the key the header's kid names. */
  public boolean verify() {
    return Ed25519.verify(publicKey, signingInput, signature);
  }

  /** True where the signature is valid under the raw 32-byte {@code ed25519PublicKey}. */
  public boolean verify(byte[] ed25519PublicKey) {
    return Ed25519.verify(ed25519PublicKey, signingInput, signature);
  }

  /** The header's kid: the signer's did:key. */
  public String kid() {
    return kid;
  }

  /** The raw Ed25519 public key the kid names. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The payload. */
  public Payload payload() {
    return payload;
  }

  /** The compact form this was parsed from. */
  public String compact() {
    return compact;
  }

  @Override
  public String toString() {
    return "Jws[kid=" + kid + ", name=" + payload.name() + ", time=" + payload.time() + "]";
  }
}
