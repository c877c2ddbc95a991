package io.olares.secrets;

import io.olares.secrets.approval.ApprovalRequest;
import java.util.Objects;

/**
 * The access needs a signed approval from the user's device key and none was given. The exception
 * carries the request and its challenge so the app can have it signed (for example by LarePass) and
 * retry with the resulting approval.
 */
public class ApprovalRequiredException extends SecretsException {
  private static final long serialVersionUID = 1L;

  private final transient ApprovalRequest request;

  /** Creates the exception for a request that needs signing. */
  public ApprovalRequiredException(String message, ApprovalRequest request) {
    super(message + " (challenge " + Objects.requireNonNull(request, "request").challenge() + ")");
    this.request = request;
  }

  /** The request to be signed; its {@link ApprovalRequest#challenge()} goes into the JWS. */
  public ApprovalRequest request() {
    return request;
  }

  /** The challenge the device key must sign. */
  public String challenge() {
    return request.challenge();
  }
}
