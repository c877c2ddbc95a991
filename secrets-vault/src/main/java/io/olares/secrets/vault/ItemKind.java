package io.olares.secrets.vault;

import io.olares.secrets.InvalidReferenceException;
import java.util.List;
import java.util.Set;

/**
 * The kinds of vault item. Each is a set of named fields (addressed as {@code #field} in a
 * reference) with a default field read when a reference names none. Fields beyond the listed ones
 * are allowed, except on private-key items, whose fields the vault manages itself.
 */
public enum ItemKind {
  /** A website login: username, password, url, TOTP seed, notes. Default field: password. */
  LOGIN(1, "login", "password", List.of("username", "password", "url", "totp", "notes")),
  /** A database account. Default field: password. */
  DATABASE_CREDENTIAL(
      2,
      "database-credential",
      "password",
      List.of("host", "port", "database", "username", "password", "url", "notes")),
  /** An API key and secret. Default field: secret. */
  API_SECRET(3, "api-secret", "secret", List.of("key", "secret", "url", "notes")),
  /** Free text. Default field: note. */
  NOTE(4, "note", "note", List.of("note")),
  /**
   * A signing key that never leaves the vault. Readable fields: algorithm, publicKey (the default),
   * address (the EIP-55 Ethereum address, or the {@code did:key} of an Ed25519 key); the private
   * key and any mnemonic are never returned, only used by {@code sign}.
   */
  PRIVATE_KEY(
      5,
      "private-key",
      "publicKey",
      List.of("algorithm", "publicKey", "address", "path", "privateKey", "mnemonic"));

  /** Fields of a private-key item that are used inside the vault and never read out. */
  public static final Set<String> HIDDEN_KEY_FIELDS = Set.of("privateKey", "mnemonic");

  private final int code;
  private final String wireName;
  private final String defaultField;
  private final List<String> knownFields;

  ItemKind(int code, String wireName, String defaultField, List<String> knownFields) {
    this.code = code;
    this.wireName = wireName;
    this.defaultField = defaultField;
    this.knownFields = knownFields;
  }

  /** The stable number stored inside encrypted items. */
  int code() {
    return code;
  }

  /** The lower-case name used in listings and the CLI. */
  public String wireName() {
    return wireName;
  }

  /** The field a reference without {@code #field} reads. */
  public String defaultField() {
    return defaultField;
  }

  /** The fields this kind defines, in display order. */
  public List<String> knownFields() {
    return knownFields;
  }

  /** True where {@code field} of this kind may be read out of the vault. */
  public boolean readable(String field) {
    return this != PRIVATE_KEY || !HIDDEN_KEY_FIELDS.contains(field);
  }

  /** Parses a {@link #wireName()} (or the enum name), case-insensitively. */
  public static ItemKind fromWireName(String name) {
    for (ItemKind k : values()) {
      if (k.wireName.equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new InvalidReferenceException(
        "unknown item kind '"
            + name
            + "': expected login, database-credential, api-secret, note or private-key");
  }

  static ItemKind fromCode(int code) {
    for (ItemKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
