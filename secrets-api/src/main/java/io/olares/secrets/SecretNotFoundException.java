package io.olares.secrets;

/** The referenced secret, or its container, does not exist. */
public class SecretNotFoundException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public SecretNotFoundException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public SecretNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
