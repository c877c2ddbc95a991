package io.olares.secrets;

/** Stored data failed authentication: it was tampered with, moved, rolled back or corrupted. */
public class IntegrityException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public IntegrityException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
