package io.olares.secrets;

/** The policy, the server or a verifier refused the access. The store was not read. */
public class AccessDeniedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public AccessDeniedException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public AccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
