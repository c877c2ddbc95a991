package io.olares.secrets.approval;

/**
 * Checks that an approval answers exactly the expected request: a good signature by a trusted DID,
 * fresh, for this challenge, never seen before. Thread-safe.
 */
@FunctionalInterface
public interface ApprovalVerifier {
  /**
   * Verifies, and records the nonce as used when it holds.
   *
   * @param approval what the caller presented
   * @param expected the request as the verifier reconstructs it for this use
   * @throws io.olares.secrets.ApprovalRejectedException naming the check that failed
   */
  void verify(Approval approval, ApprovalRequest expected);
}
