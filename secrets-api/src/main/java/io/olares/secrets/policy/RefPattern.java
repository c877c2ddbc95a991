package io.olares.secrets.policy;

import io.olares.secrets.SecretRef;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over reference text, as used by grants and allow/deny lists: {@code *} matches any run of
 * characters within one segment, and a segment that is exactly {@code **} matches zero or more
 * whole segments. So {@code infisical://shared/prod/**} matches {@code infisical://shared/prod},
 * {@code infisical://shared/prod/db} and {@code infisical://shared/prod/db/password}, and {@code
 * k8s://myapp-*}{@code /**} matches everything in the namespaces whose name starts with {@code
 * myapp-}.
 *
 * <p>A pattern is matched against {@link SecretRef#toString()} of the reference's {@link
 * SecretRef#base() base} (no version, no field), so it is written in the canonical, percent-encoded
 * form. Matching is exact and case-sensitive. Instances are immutable and thread-safe.
 */
public final class RefPattern {
  private final String text;
  private final Pattern regex;

  private RefPattern(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming the rule the pattern breaks
   */
  public static RefPattern compile(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("pattern is empty");
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "pattern contains whitespace or a control character at offset " + i);
      }
    }
    int scheme = pattern.indexOf("://");
    if (scheme <= 0) {
      throw new IllegalArgumentException(
          "pattern '" + pattern + "' is not of the form <store>://<container>/<path>");
    }
    if (pattern.indexOf('?') >= 0 || pattern.indexOf('#') >= 0) {
      throw new IllegalArgumentException(
          "pattern '"
              + pattern
              + "' has a version or field; patterns match the reference without them");
    }
    String[] pieces = pattern.split("/", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pieces.length; i++) {
      String piece = pieces[i];
      if (piece.contains("**") && !piece.equals("**")) {
        throw new IllegalArgumentException(
            "pattern '" + pattern + "': '**' must be a whole path segment");
      }
      if (piece.equals("**")) {
        if (i < 2) {
          throw new IllegalArgumentException(
              "pattern '" + pattern + "': '**' may not stand for the store");
        }
        sb.append("(?:/[^/]+)*");
      } else {
        if (i > 0) {
          sb.append('/');
        }
        appendSegment(sb, piece);
      }
    }
    return new RefPattern(pattern, Pattern.compile(sb.toString()));
  }

  private static void appendSegment(StringBuilder sb, String piece) {
    int start = 0;
    for (int star = piece.indexOf('*'); star >= 0; star = piece.indexOf('*', start)) {
      if (star > start) {
        sb.append(Pattern.quote(piece.substring(start, star)));
      }
      sb.append("[^/]*");
      start = star + 1;
    }
    if (start < piece.length()) {
      sb.append(Pattern.quote(piece.substring(start)));
    }
  }

  /** True where the base of {@code ref} matches this pattern. */
  public boolean matches(SecretRef ref) {
    return matches(ref.base().toString());
  }

  /** True where the canonical reference text matches this pattern. */
  public boolean matches(String refText) {
    return regex.matcher(refText).matches();
  }

  /** The pattern as written. */
  public String pattern() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RefPattern && ((RefPattern) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
