package io.olares.secrets.k8s.internal;

import io.olares.secrets.k8s.SecretRejectedException.Cause;
import java.io.IOException;
import java.util.List;

/**
 * A call to the API server failed: either it answered with an error status (parsed from its {@code
 * Status} body), or the transport failed ({@link #code()} 0, {@link #transport()} set). Internal:
 * the store turns it into an SDK exception.
 */
public final class KubeCallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String serverMessage;
  private final transient List<Cause> causes;
  private final long retryAfterSeconds;

  KubeCallException(
      int code, String reason, String serverMessage, List<Cause> causes, long retryAfterSeconds) {
    super("HTTP " + code + " " + reason);
    this.code = code;
    this.reason = reason;
    this.serverMessage = serverMessage;
    this.causes = List.copyOf(causes);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  KubeCallException(IOException transport) {
    super(transport.getClass().getSimpleName() + ": " + transport.getMessage(), transport);
    this.code = 0;
    this.reason = "Transport";
    this.serverMessage = transport.getClass().getSimpleName() + ": " + transport.getMessage();
    this.causes = List.of();
    this.retryAfterSeconds = -1;
  }

  /** The HTTP status, or 0 where no answer arrived. */
  public int code() {
    return code;
  }

  /** The Kubernetes reason ({@code NotFound}, {@code Conflict}, {@code Invalid}, ...). */
  public String reason() {
    return reason;
  }

  /** The server's message (or the transport failure), safe to show: it names, never values. */
  public String serverMessage() {
    return serverMessage;
  }

  /** The causes of a 400 or 422 answer. */
  public List<Cause> causes() {
    return causes == null ? List.of() : causes;
  }

  /** The server's {@code Retry-After} in seconds, or -1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The transport failure, if no answer arrived. */
  public IOException transport() {
    return getCause() instanceof IOException io ? io : null;
  }

  /** True for failures worth retrying: no answer, 429, 500, 502, 503, 504. */
  public boolean isTransient() {
    return code == 0 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }

  /** True for a 409 whose reason is {@code AlreadyExists}. */
  public boolean alreadyExists() {
    return code == 409 && "AlreadyExists".equals(reason);
  }

  /** True for a 409 whose reason is {@code Conflict} (a stale resourceVersion). */
  public boolean conflict() {
    return code == 409 && !"AlreadyExists".equals(reason);
  }
}
