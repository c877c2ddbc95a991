package io.olares.secrets.k8s.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a name (an environment variable such as {@code ADMIN_TOKEN}, or a Helm value such
 * as {@code .Values.auth.apiKey}) names a secret. A name is split into words at {@code _}, {@code
 * -}, {@code .} and lower-to-upper case changes; it is secret-like when a word is one of password,
 * passwd, pwd, pass, passphrase, secret, token, key, apikey, credential(s), privatekey (or ends in
 * password, secret or token), unless a word marks something public or the last word names a
 * property of the secret rather than the secret (file, path, url, name, id, ttl, ...).
 */
final class SecretNames {
  private static final Set<String> SECRET_WORDS =
      Set.of(
          "password",
          "passwd",
          "pwd",
          "pass",
          "passphrase",
          "secret",
          "secrets",
          "token",
          "tokens",
          "key",
          "apikey",
          "credential",
          "credentials",
          "privatekey",
          "pat");
  private static final List<String> SECRET_SUFFIXES = List.of("password", "secret", "token");
  private static final Set<String> PUBLIC_WORDS = Set.of("public", "pub", "cert", "certificate");
  private static final Set<String> PROPERTY_WORDS =
      Set.of(
          "file",
          "files",
          "path",
          "dir",
          "url",
          "uri",
          "endpoint",
          "host",
          "port",
          "name",
          "id",
          "ref",
          "enabled",
          "enable",
          "disabled",
          "length",
          "len",
          "size",
          "ttl",
          "type",
          "mode",
          "header",
          "expiry",
          "expires",
          "expiration",
          "namespace",
          "version",
          "algorithm",
          "format",
          "user",
          "username",
          "policy",
          "rotation",
          "interval",
          "timeout",
          "count",
          "lifetime",
          "prefix",
          "suffix");

  private SecretNames() {}

  /** True where {@code name} names a secret. */
  static boolean secretLike(String name) {
    List<String> words = words(name);
    if (words.isEmpty()) {
      return false;
    }
    if (PROPERTY_WORDS.contains(words.get(words.size() - 1))) {
      return false;
    }
    boolean secret = false;
    for (String w : words) {
      if (PUBLIC_WORDS.contains(w)) {
        return false;
      }
      if (SECRET_WORDS.contains(w) || SECRET_SUFFIXES.stream().anyMatch(w::endsWith)) {
        secret = true;
      }
    }
    return secret;
  }

  /** The lower-case words of a name. */
  static List<String> words(String name) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean boundary = !Character.isLetterOrDigit(c);
      if (!boundary
          && Character.isUpperCase(c)
          && i > 0
          && Character.isLowerCase(name.charAt(i - 1))) {
        flush(w, out);
      }
      if (boundary) {
        flush(w, out);
      } else {
        w.append(c);
      }
    }
    flush(w, out);
    return out;
  }

  private static void flush(StringBuilder w, List<String> out) {
    if (w.length() > 0) {
      out.add(w.toString().toLowerCase(Locale.ROOT));
      w.setLength(0);
    }
  }
}
