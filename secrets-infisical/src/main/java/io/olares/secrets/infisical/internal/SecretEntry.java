package io.olares.secrets.infisical.internal;

import java.time.Instant;
import java.util.Arrays;

/**
 * One secret as Infisical describes it. The value is held as characters the owner wipes with {@link
 * #wipe()}; it is absent for listings. {@code toString} never shows it.
 */
public final class SecretEntry {
  private final String id;
  private final String key;
  private final int version;
  private final String type;
  private final String secretPath;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final char[] value;

  SecretEntry(
      String id,
      String key,
      int version,
      String type,
      String secretPath,
      Instant createdAt,
      Instant updatedAt,
      char[] value) {
    this.id = id;
    this.key = key;
    this.version = version;
    this.type = type;
    this.secretPath = secretPath;
    this.createdAt = createdAt;
    this.updatedAt = updatedAt;
    this.value = value;
  }

  /** The secret's id. */
  public String id() {
    return id;
  }

  /** The secret's name. */
  public String key() {
    return key;
  }

  /** The version the answer describes. */
  public int version() {
    return version;
  }

  /** {@code shared} or {@code personal}. */
  public String type() {
    return type;
  }

  /** The folder path, where the answer names it (listings), else null. */
  public String secretPath() {
    return secretPath;
  }

  /** Creation time, or null. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Last update time, or null. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** The value's characters (not a copy), or null where the answer carried none. */
  public char[] value() {
    return value;
  }

  /** Overwrites the value. */
  public void wipe() {
    if (value != null) {
      Arrays.fill(value, '\0');
    }
  }

  @Override
  public String toString() {
    return "SecretEntry[" + key + " v" + version + ", value=redacted]";
  }
}
