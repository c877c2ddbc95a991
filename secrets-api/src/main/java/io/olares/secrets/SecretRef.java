package io.olares.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed, validated reference to a secret: {@code
 * <store>://<container>/<path>[?version=<v>][#<field>]}.
 *
 * <p>{@code <store>} names a configured store instance. The container and each path segment are
 * percent-decoded exactly once; no segment may be empty, {@code .} or {@code ..}, and no part may
 * hold a control character. {@link #toString()} gives a form that parses back to an equal
 * reference. A reference is not a secret: it may be logged.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SecretRef {
  /** The longest reference text accepted. */
  public static final int MAX_LENGTH = 4096;

  private static final Pattern STORE = Pattern.compile("[a-zA-Z][a-zA-Z0-9._-]{0,62}");

  private final String store;
  private final String container;
  private final List<String> path;
  private final String version;
  private final String field;
  private final String text;

  private SecretRef(
      String store, String container, List<String> path, String version, String field) {
    this.store = store;
    this.container = container;
    this.path = List.copyOf(path);
    this.version = version;
    this.field = field;
    this.text = canonical();
    int canonical = text.length();
    if (canonical > MAX_LENGTH) {
      throw new InvalidReferenceException(
          "reference is "
              + canonical
              + " characters long in its canonical form; the limit is "
              + MAX_LENGTH);
    }
  }

  /**
   * Parses a reference that names a secret: the path must have at least one segment.
   *
   * @throws InvalidReferenceException naming the offending part
   */
  public static SecretRef parse(String text) {
    SecretRef ref = parseAny(text);
    if (ref.path.isEmpty()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' has no path: expected <store>://<container>/<path>");
    }
    return ref;
  }

  /**
   * Parses a reference that may stop at the container, as used for listing ({@code
   * vault://personal}).
   *
   * @throws InvalidReferenceException naming the offending part
   */
  public static SecretRef parsePrefix(String text) {
    return parseAny(text);
  }

  /** Builds a reference from decoded parts, validating each. */
  public static SecretRef of(String store, String container, String... path) {
    return of(store, container, List.of(path), null, null);
  }

  /** Builds a reference from decoded parts, validating each; version and field may be null. */
  public static SecretRef of(
      String store, String container, List<String> path, String version, String field) {
    checkStore(store);
    checkSegment("container", container);
    for (String segment : path) {
      checkSegment("path segment", segment);
    }
    if (version != null) {
      checkPart("version", version);
    }
    if (field != null) {
      checkPart("field", field);
    }
    return new SecretRef(store, container, path, version, field);
  }

  private static SecretRef parseAny(String text) {
    if (text == null) {
      throw new InvalidReferenceException("reference is null");
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidReferenceException(
          "reference is " + text.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      throw new InvalidReferenceException(
          "reference '" + printable(text) + "' has no '<store>://' prefix");
    }
    String store = text.substring(0, scheme);
    checkStore(store);
    String rest = text.substring(scheme + 3);

    String field = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      field = decode("field", rest.substring(hash + 1));
      rest = rest.substring(0, hash);
      checkPart("field", field);
    }
    String version = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      version = parseQuery(rest.substring(question + 1));
      rest = rest.substring(0, question);
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException("reference to store '" + store + "' has no container");
    }
    String[] raw = rest.split("/", -1);
    String container = decode("container", raw[0]);
    checkSegment("container", container);
    List<String> path = new ArrayList<>(raw.length - 1);
    for (int i = 1; i < raw.length; i++) {
      String segment = decode("path segment " + i, raw[i]);
      checkSegment("path segment " + i, segment);
      path.add(segment);
    }
    return new SecretRef(store, container, path, version, field);
  }

  private static String parseQuery(String query) {
    String version = null;
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!"version".equals(key)) {
        throw new InvalidReferenceException(
            "query parameter '" + printable(key) + "' is not supported; only 'version' is allowed");
      }
      if (version != null) {
        throw new InvalidReferenceException("query parameter 'version' is given twice");
      }
      version = decode("version", eq < 0 ? "" : pair.substring(eq + 1));
      checkPart("version", version);
    }
    return version;
  }

  private static void checkStore(String store) {
    if (store == null || !STORE.matcher(store).matches()) {
      throw new InvalidReferenceException(
          "store name '"
              + printable(String.valueOf(store))
              + "' is invalid: it must start with a letter and use only letters, digits, '.',"
              + " '_' or '-' (at most 63)");
    }
  }

  private static void checkSegment(String what, String segment) {
    checkPart(what, segment);
    if (segment.equals(".") || segment.equals("..")) {
      throw new InvalidReferenceException(what + " must not be '" + segment + "'");
    }
  }

  private static void checkPart(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidReferenceException(what + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidReferenceException(
            what + " contains the control character U+" + String.format("%04X", (int) c));
      }
    }
  }

  private static String decode(String what, String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 3 > raw.length()) {
          throw new InvalidReferenceException(what + " has a truncated percent-escape");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new InvalidReferenceException(
              what + " has an invalid percent-escape at offset " + i);
        }
        out.write(hi * 16 + lo);
        i += 3;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          bytes = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(bytes);
        i++;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidReferenceException(what + " percent-decodes to invalid UTF-8");
    }
  }

  private static String encode(String part) {
    StringBuilder sb = new StringBuilder(part.length());
    part.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x80
                  ? (cp >= 'a' && cp <= 'z')
                      || (cp >= 'A' && cp <= 'Z')
                      || (cp >= '0' && cp <= '9')
                      || "-._~@:+=,!$;*()'".indexOf(cp) >= 0
                  : printableUnicode(cp)) {
                sb.appendCodePoint(cp);
              } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                  int c = b & 0xff;
                  sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                  sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
              }
            });
    return sb.toString();
  }

  /** Letters, marks, digits, symbols and punctuation stay literal; spaces and invisibles do not. */
  private static boolean printableUnicode(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 80 ? sb + "..." : sb.toString();
  }

  /** The configured store instance this reference points into. */
  public String store() {
    return store;
  }

  /** The first segment after {@code ://}: vault, project, namespace, integration type, ... */
  public String container() {
    return container;
  }

  /** The decoded path segments after the container; empty only for a prefix. */
  public List<String> path() {
    return path;
  }

  /** The path segments joined with {@code /}. */
  public String pathString() {
    return String.join("/", path);
  }

  /** The last path segment, usually the secret's name. */
  public Optional<String> name() {
    return path.isEmpty() ? Optional.empty() : Optional.of(path.get(path.size() - 1));
  }

  /** The requested version, if any. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** The requested field within a structured secret, if any. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** This reference with another field; null removes it. */
  public SecretRef withField(String newField) {
    return of(store, container, path, version, newField);
  }

  /** This reference with another version; null removes it. */
  public SecretRef withVersion(String newVersion) {
    return of(store, container, path, newVersion, field);
  }

  /** This reference without version and field: what identifies the stored secret. */
  public SecretRef base() {
    return version == null && field == null
        ? this
        : new SecretRef(store, container, path, null, null);
  }

  /**
   * True where {@code other} lies at or below this reference (same store and container, and this
   * path is a prefix of the other's).
   */
  public boolean covers(SecretRef other) {
    return store.equals(other.store)
        && container.equals(other.container)
        && other.path.size() >= path.size()
        && other.path.subList(0, path.size()).equals(path);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecretRef)) {
      return false;
    }
    SecretRef r = (SecretRef) o;
    return store.equals(r.store)
        && container.equals(r.container)
        && path.equals(r.path)
        && Objects.equals(version, r.version)
        && Objects.equals(field, r.field);
  }

  @Override
  public int hashCode() {
    return Objects.hash(store, container, path, version, field);
  }

  /** The canonical text form; it parses back to an equal reference. */
  @Override
  public String toString() {
    return text;
  }

  private String canonical() {
    StringBuilder sb = new StringBuilder(store).append("://").append(encode(container));
    for (String segment : path) {
      sb.append('/').append(encode(segment));
    }
    if (version != null) {
      sb.append("?version=").append(encode(version));
    }
    if (field != null) {
      sb.append('#').append(encode(field));
    }
    return sb.toString();
  }
}
