package io.olares.secrets;

/** The store could not be reached or answered with a transient failure; the call may be retried. */
public class StoreUnavailableException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public StoreUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
