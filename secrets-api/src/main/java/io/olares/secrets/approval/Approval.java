package io.olares.secrets.approval;

import java.util.Objects;

/**
 * A signed approval: the request it answers and the compact JWS (LarePass' shape) whose payload
 * carries that request's challenge. {@link #toString()} shows the request, not the signature.
 *
 * @param request the request that was signed
 * @param jws the compact JWS {@code header.payload.signature}
 */
public record Approval(ApprovalRequest request, String jws) {
  /** Validates. */
  public Approval {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(jws, "jws");
  }

  @Override
  public String toString() {
    return "Approval[" + request + ", jws=" + jws.length() + " chars]";
  }
}
