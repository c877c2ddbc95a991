package io.olares.secrets.approval;

/**
 * Obtains the user's signature over an approval request: a local device key, a LarePass prompt, or
 * anything else that can produce the JWS. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Approver {
  /**
   * Signs or refuses.
   *
   * @throws io.olares.secrets.AccessDeniedException where the user refused
   */
  Approval approve(ApprovalRequest request);
}
