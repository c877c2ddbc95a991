package io.olares.secrets;

/**
 * The root of every exception this SDK throws. Messages name references, stores and rules, never a
 * secret value; subclasses carry the non-secret context as fields.
 */
public class SecretsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that must not contain a secret value. */
  public SecretsException(String message) {
    super(message);
  }

  /** Creates an exception with a message that must not contain a secret value, and a cause. */
  public SecretsException(String message, Throwable cause) {
    super(message, cause);
  }
}
