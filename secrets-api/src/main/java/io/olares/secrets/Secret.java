package io.olares.secrets;

import java.util.Objects;

/**
 * A resolved secret: where it came from, what kind it is, its value and its metadata. Closing it
 * wipes the value. {@link #toString()} never shows the value.
 */
public final class Secret implements AutoCloseable {
  private final SecretRef ref;
  private final Classification classification;
  private final SecretValue value;
  private final SecretMetadata metadata;

  /** Creates a secret; it takes ownership of {@code value}. */
  public Secret(
      SecretRef ref, Classification classification, SecretValue value, SecretMetadata metadata) {
    this.ref = Objects.requireNonNull(ref, "ref");
    this.classification = Objects.requireNonNull(classification, "classification");
    this.value = Objects.requireNonNull(value, "value");
    this.metadata = metadata == null ? SecretMetadata.EMPTY : metadata;
  }

  /** The reference it was read through. */
  public SecretRef ref() {
    return ref;
  }

  /** Its classification. */
  public Classification classification() {
    return classification;
  }

  /** Its value; closing this secret wipes it. */
  public SecretValue value() {
    return value;
  }

  /** Its non-secret metadata. */
  public SecretMetadata metadata() {
    return metadata;
  }

  /** A copy with an independent value, for handing to a caller while the original stays cached. */
  public Secret copy() {
    return new Secret(ref, classification, value.copy(), metadata);
  }

  /**
   * A copy with an independent value, or null where the value is closed or is closed while it is
   * being copied (see {@link SecretValue#tryCopy()}).
   */
  public Secret tryCopy() {
    SecretValue copied = value.tryCopy();
    return copied == null ? null : new Secret(ref, classification, copied, metadata);
  }

  /** A copy with another reference and an independent value. */
  public Secret copyAs(SecretRef newRef) {
    return new Secret(newRef, classification, value.copy(), metadata);
  }

  /** Wipes the value. */
  @Override
  public void close() {
    value.close();
  }

  @Override
  public String toString() {
    return "Secret[" + ref + ", " + classification + ", value=redacted]";
  }
}
