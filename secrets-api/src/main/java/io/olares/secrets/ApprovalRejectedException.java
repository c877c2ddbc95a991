package io.olares.secrets;

/**
 * A signed approval was presented but did not hold: the reason says which check failed. The
 * approval is never accepted in part.
 */
public class ApprovalRejectedException extends AccessDeniedException {
  private static final long serialVersionUID = 1L;

  /** Why an approval was refused. */
  public enum Reason {
    MALFORMED,
    BAD_SIGNATURE,
    UNTRUSTED_DID,
    EXPIRED,
    FROM_THE_FUTURE,
    WRONG_CHALLENGE,
    REPLAYED
  }

  private final Reason reason;

  /** Creates the exception; the message must not contain a secret value. */
  public ApprovalRejectedException(Reason reason, String message) {
    super(
        "approval rejected (" + reason.name().toLowerCase(java.util.Locale.ROOT) + "): " + message);
    this.reason = reason;
  }

  /** Which check failed. */
  public Reason reason() {
    return reason;
  }
}
