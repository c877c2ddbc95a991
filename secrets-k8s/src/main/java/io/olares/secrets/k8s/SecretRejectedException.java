package io.olares.secrets.k8s;

import io.olares.secrets.SecretsException;
import java.util.List;
import java.util.Objects;

/**
 * A Secret write was refused: by the checks this store runs before sending (status {@code 0}), or
 * by the API server (status 400 or 422, with the causes the server gave). Nothing was changed.
 *
 * <p>Messages and causes name the namespace, the Secret, the key and the rule that failed; they
 * never contain a value.
 */
public class SecretRejectedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** One reason the server (or the local check) gave, as in a Kubernetes {@code StatusCause}. */
  public record Cause(String field, String reason, String message) {
    /** Validates. */
    public Cause {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return (field == null ? "" : field + ": ") + message;
    }
  }

  private final int status;
  private final String reason;
  private final transient List<Cause> causes;

  /**
   * Creates the exception.
   *
   * @param message what was refused and why; must not contain a secret value
   * @param status the HTTP status of the server's answer, or 0 where the store refused first
   * @param reason the Kubernetes reason ({@code Invalid}, {@code BadRequest}), or a local one
   * @param causes the individual causes; may be empty
   */
  public SecretRejectedException(String message, int status, String reason, List<Cause> causes) {
    super(message);
    this.status = status;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.causes = List.copyOf(causes);
  }

  /** The HTTP status of the server's answer, or 0 where the store refused before sending. */
  public int status() {
    return status;
  }

  /** True where the store refused before anything was sent. */
  public boolean refusedLocally() {
    return status == 0;
  }

  /** The Kubernetes reason, such as {@code Invalid}, {@code BadRequest} or {@code TooLarge}. */
  public String reason() {
    return reason;
  }

  /** The individual causes, each naming a field where known. */
  public List<Cause> causes() {
    return causes == null ? List.of() : causes;
  }
}
