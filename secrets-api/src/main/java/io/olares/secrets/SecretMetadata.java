package io.olares.secrets;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Non-secret facts about a stored secret. Any field may be absent where the store does not know it.
 * Labels must not hold secret material.
 */
public record SecretMetadata(
    String version, Instant created, Instant updated, Instant expires, Map<String, String> labels) {

  /** Metadata with nothing known. */
  public static final SecretMetadata EMPTY = new SecretMetadata(null, null, null, null, Map.of());

  /** Copies the labels. */
  public SecretMetadata {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Metadata with only a version. */
  public static SecretMetadata ofVersion(String version) {
    return new SecretMetadata(version, null, null, null, Map.of());
  }

  /** The version, if the store keeps versions. */
  public Optional<String> versionOpt() {
    return Optional.ofNullable(version);
  }

  /** When the secret stops being valid, if it expires. */
  public Optional<Instant> expiresOpt() {
    return Optional.ofNullable(expires);
  }

  /** This metadata with another expiry. */
  public SecretMetadata withExpires(Instant newExpires) {
    return new SecretMetadata(version, created, updated, newExpires, labels);
  }
}
