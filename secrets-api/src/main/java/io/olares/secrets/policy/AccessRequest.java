package io.olares.secrets.policy;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.ResourceInfo;
import java.util.Objects;

/**
 * One access as policy sees it: who, what operation, which reference in which kind of store, and
 * what the store said about the reference.
 */
public record AccessRequest(
    String app, Operation operation, SecretRef ref, String storeType, ResourceInfo resource) {
  /** Validates. */
  public AccessRequest {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(storeType, "storeType");
    Objects.requireNonNull(resource, "resource");
  }
}
