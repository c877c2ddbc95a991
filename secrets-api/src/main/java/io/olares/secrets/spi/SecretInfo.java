package io.olares.secrets.spi;

import io.olares.secrets.Classification;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import java.util.Objects;

/** One entry of a listing: a reference and its non-secret facts, never a value. */
public record SecretInfo(SecretRef ref, Classification classification, SecretMetadata metadata) {
  /** Validates. */
  public SecretInfo {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(classification, "classification");
    metadata = metadata == null ? SecretMetadata.EMPTY : metadata;
  }
}
