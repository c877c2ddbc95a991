package io.olares.secrets.k8s.internal;

import io.olares.secrets.InvalidReferenceException;
import java.util.regex.Pattern;

/**
 * The naming rules the API server applies to namespaces, Secret names and data keys, checked on the
 * client so that a bad name fails before anything is sent, with the same rule the server names.
 */
public final class KubeNames {
  /** The longest Secret data size the API server accepts: 1 MiB of values. */
  public static final int MAX_SECRET_BYTES = 1024 * 1024;

  private static final int MAX_SUBDOMAIN = 253;
  private static final int MAX_LABEL = 63;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private KubeNames() {}

  /** A namespace name: an RFC 1123 label (lower case, digits, '-', at most 63 characters). */
  public static void checkNamespace(String namespace) {
    if (namespace.length() > MAX_LABEL || !LABEL.matcher(namespace).matches()) {
      throw new InvalidReferenceException(
          "namespace '"
              + printable(namespace)
              + "' is invalid: a namespace is an RFC 1123 label of at most 63 lower-case"
              + " alphanumeric characters or '-', starting and ending with an alphanumeric"
              + " character");
    }
  }

  /** A Secret name: an RFC 1123 subdomain (lower case, digits, '-', '.', at most 253). */
  public static void checkSecretName(String name) {
    if (name.length() > MAX_SUBDOMAIN || !SUBDOMAIN.matcher(name).matches()) {
      throw new InvalidReferenceException(
          "Secret name '"
              + printable(name)
              + "' is invalid: it must be a lowercase RFC 1123 subdomain of at most 253"
              + " characters (lower-case alphanumerics, '-' or '.', starting and ending with an"
              + " alphanumeric character, e.g. 'myapp-secrets')");
    }
  }

  /** A data key: {@code [-._a-zA-Z0-9]+}, at most 253 characters, not {@code .} or {@code ..*}. */
  public static void checkKey(String key) {
    String problem = keyProblem(key);
    if (problem != null) {
      throw new InvalidReferenceException(
          "Secret key '" + printable(key) + "' is invalid: " + problem);
    }
  }

  /** Why {@code key} is not a valid data key, or null where it is. */
  public static String keyProblem(String key) {
    if (key.length() > MAX_SUBDOMAIN) {
      return "a key has at most 253 characters";
    }
    if (!KEY.matcher(key).matches()) {
      return "a valid key consists of alphanumeric characters, '-', '_' or '.'"
          + " (regex [-._a-zA-Z0-9]+)";
    }
    if (key.equals(".")) {
      return "a key must not be '.'";
    }
    if (key.startsWith("..")) {
      return "a key must not start with '..'";
    }
    return null;
  }

  /** Text safe to put into a message: control characters replaced, cut at 100 characters. */
  public static String printable(String text) {
    return printable(text, 100);
  }

  /** A server message safe to repeat: control characters replaced, cut at 500 characters. */
  public static String printable500(String text) {
    return printable(text, 500);
  }

  private static String printable(String text, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > max ? sb + "..." : sb.toString();
  }
}
