package io.olares.secrets;

/** A reference does not follow the grammar; the message names the offending part. */
public class InvalidReferenceException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public InvalidReferenceException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public InvalidReferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
