package io.olares.secrets.spi;

import io.olares.secrets.Operation;
import io.olares.secrets.approval.Approval;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling a store and why. The facade has already asked the policy; a store with {@link
 * Capability#APPROVAL} must still verify {@link #approval()} itself.
 *
 * @param app the calling app's name
 * @param operation what is being done
 * @param approval the signed approval for this very use, or null
 */
public record AccessContext(String app, Operation operation, Approval approval) {
  /** Validates. */
  public AccessContext {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(operation, "operation");
  }

  /** A context without an approval. */
  public static AccessContext of(String app, Operation operation) {
    return new AccessContext(app, operation, null);
  }

  /** The approval, if one was given. */
  public Optional<Approval> approvalOpt() {
    return Optional.ofNullable(approval);
  }
}
