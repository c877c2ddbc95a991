package io.olares.secrets.vault;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;
import java.util.List;

/**
 * Item names: {@code <container>/<path>} exactly as a reference writes them after the store name,
 * in canonical percent-encoded form, so that a name and its reference convert both ways without
 * ambiguity.
 */
final class ItemNames {
  private static final String PROBE = "vault";

  private ItemNames() {}

  /** The canonical name of a reference's item (its store, version and field ignored). */
  static String of(SecretRef ref) {
    if (ref.path().isEmpty()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names a container, not an item: add a path");
    }
    String text = ref.base().toString();
    return text.substring(text.indexOf("://") + 3);
  }

  /** The listing prefix of a reference that may stop at its container. */
  static String prefixOf(SecretRef ref) {
    String text = ref.base().toString();
    return text.substring(text.indexOf("://") + 3);
  }

  /** Parses and canonicalises a name given as text; it must name an item (container and path). */
  static String canonical(String name) {
    SecretRef ref = parse(name, false);
    if (ref.version().isPresent() || ref.field().isPresent()) {
      throw new InvalidReferenceException(
          "item name '" + name + "' must not carry ?version= or #field");
    }
    return of(ref);
  }

  /** Parses a listing prefix: a container, optionally with a path; empty means everything. */
  static SecretRef prefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return null;
    }
    return parse(prefix, true);
  }

  /** The reference of a stored name inside the store {@code store}. */
  static SecretRef toRef(String store, String name) {
    SecretRef probe = SecretRef.parse(PROBE + "://" + name);
    List<String> path = probe.path();
    return SecretRef.of(store, probe.container(), path, null, null);
  }

  /** True where {@code name} lies at or below {@code prefix} (null covers everything). */
  static boolean covers(SecretRef prefix, String name) {
    return prefix == null || prefix.covers(SecretRef.parse(PROBE + "://" + name));
  }

  private static SecretRef parse(String text, boolean prefix) {
    if (text == null || text.isEmpty()) {
      throw new InvalidReferenceException("item name is empty");
    }
    if (text.contains("://")) {
      throw new InvalidReferenceException(
          "item name '" + text + "' must not include a store: write <container>/<path>");
    }
    return prefix
        ? SecretRef.parsePrefix(PROBE + "://" + text)
        : SecretRef.parse(PROBE + "://" + text);
  }
}
