package io.olares.secrets.vault;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretValue;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A structured vault item: its kind and its named fields, each a {@link SecretValue}. The item owns
 * its values: {@link #close()} wipes every one. {@link #toString()} shows the kind and the field
 * names, never a value. Immutable apart from closing; thread-safe.
 */
public final class VaultItem implements AutoCloseable {
  /** The most fields one item holds. */
  public static final int MAX_FIELDS = 256;

  /** The most bytes all field values of one item may hold together (16 MiB). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final ItemKind kind;
  private final Map<String, SecretValue> fields;

  private VaultItem(ItemKind kind, Map<String, SecretValue> fields) {
    this.kind = kind;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** A builder for an item of {@code kind}. */
  public static Builder builder(ItemKind kind) {
    return new Builder(kind);
  }

  /** An item of {@code kind} with one value in its default field (the value is copied). */
  public static VaultItem of(ItemKind kind, SecretValue value) {
    return builder(kind).field(kind.defaultField(), value).build();
  }

  /**
   * Fails with a message naming the rule unless {@code name} is a valid field name: a letter or
   * digit, then up to 63 letters, digits, {@code .}, {@code _} or {@code -}.
   */
  public static String checkFieldName(String name) {
    if (name == null || !FIELD.matcher(name).matches()) {
      throw new InvalidReferenceException(
          "field name '"
              + (name == null ? "null" : printable(name))
              + "' is invalid: use a letter or digit, then up to 63 letters, digits, '.', '_' or"
              + " '-'");
    }
    return name;
  }

  static VaultItem adopt(ItemKind kind, Map<String, SecretValue> fields) {
    return new VaultItem(kind, new TreeMap<>(fields));
  }

  /** Its kind. */
  public ItemKind kind() {
    return kind;
  }

  /** The names of its fields, sorted. */
  public Set<String> fieldNames() {
    return fields.keySet();
  }

  /** True where the field is present. */
  public boolean has(String field) {
    return fields.containsKey(field);
  }

  /** A field's value (owned by this item: closing the item wipes it), if present. */
  public Optional<SecretValue> field(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /** The value of the kind's default field, if present. */
  public Optional<SecretValue> defaultValue() {
    return field(kind.defaultField());
  }

  Map<String, SecretValue> fields() {
    return fields;
  }

  /** Wipes every value. Idempotent. */
  @Override
  public void close() {
    fields.values().forEach(SecretValue::close);
  }

  /** The kind and field names only. */
  @Override
  public String toString() {
    return "VaultItem[" + kind.wireName() + ", fields=" + fields.keySet() + "]";
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return sb.toString();
  }

  /** Collects fields; each value is copied, so the caller keeps (and may close) its own. */
  public static final class Builder {
    private final ItemKind kind;
    private final TreeMap<String, SecretValue> fields = new TreeMap<>();

    private Builder(ItemKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Sets a field to a copy of {@code value}. */
    public Builder field(String name, SecretValue value) {
      checkFieldName(name);
      Objects.requireNonNull(value, "value");
      SecretValue old = fields.put(name, value.copy());
      if (old != null) {
        old.close();
      }
      return this;
    }

    /** Sets a field to the UTF-8 bytes of {@code text} (for non-secret fields such as a URL). */
    public Builder field(String name, String text) {
      try (SecretValue v = SecretValue.ofString(Objects.requireNonNull(text, "text"))) {
        return field(name, v);
      }
    }

    /**
     * Builds the item.
     *
     * @throws InvalidReferenceException where the item has too many fields or bytes
     */
    public VaultItem build() {
      if (fields.size() > MAX_FIELDS) {
        throw new InvalidReferenceException(
            "a vault item holds at most " + MAX_FIELDS + " fields, not " + fields.size());
      }
      long total = 0;
      for (SecretValue v : fields.values()) {
        total += v.length();
      }
      if (total > MAX_BYTES) {
        throw new InvalidReferenceException(
            "a vault item holds at most " + MAX_BYTES + " bytes of values, not " + total);
      }
      return new VaultItem(kind, new TreeMap<>(fields));
    }
  }
}
