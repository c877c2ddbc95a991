package io.olares.secrets.spi;

import io.olares.secrets.Classification;
import java.util.Objects;
import java.util.Optional;

/**
 * What policy needs to know about a reference before anything is read: its classification, who owns
 * it (an app, or a namespace for pod secrets) and which provider permission reaching it takes.
 * Stores compute this from the reference and configuration alone, without I/O.
 *
 * @param classification the kind of secret
 * @param owner the owning app (application credentials) or namespace (pod secrets); may be null
 * @param permission the Olares provider permission the access needs; may be null
 */
public record ResourceInfo(
    Classification classification, String owner, ProviderPermission permission) {

  /** Validates. */
  public ResourceInfo {
    Objects.requireNonNull(classification, "classification");
  }

  /** Only a classification. */
  public static ResourceInfo of(Classification classification) {
    return new ResourceInfo(classification, null, null);
  }

  /** The owner, if any. */
  public Optional<String> ownerOpt() {
    return Optional.ofNullable(owner);
  }

  /** The permission, if any. */
  public Optional<ProviderPermission> permissionOpt() {
    return Optional.ofNullable(permission);
  }
}
