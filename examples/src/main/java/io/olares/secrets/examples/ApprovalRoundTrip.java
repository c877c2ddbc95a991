package io.olares.secrets.examples;

import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.Approver;

/**
 * Handles an approval-required read the way an app does when the approver lives elsewhere (the
 * user's phone): catch {@link ApprovalRequiredException}, send its challenge to be signed, and
 * retry with the signed approval. The approval is single-use and bound to this very read.
 */
public final class ApprovalRoundTrip {
  private ApprovalRoundTrip() {}

  /**
   * Reads {@code ref}, asking {@code remoteSigner} (LarePass, or a device key) for the signature
   * when the policy demands one, and returns the number of bytes read.
   */
  public static int readWithApproval(Secrets secrets, String ref, Approver remoteSigner) {
    SecretRef parsed = SecretRef.parse(ref);
    Approval approval;
    try (Secret secret = secrets.get(parsed)) {
      return secret.value().length(); // no approval was needed
    } catch (ApprovalRequiredException e) {
      // e.challenge() is what the device signs; e.request() says what it approves.
      approval = remoteSigner.approve(e.request());
    }
    try (Secret secret = secrets.get(parsed, approval)) {
      return secret.value().length();
    }
  }
}
