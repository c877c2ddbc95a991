package io.olares.secrets.infisical;

import io.olares.secrets.SecretsException;

/**
 * A value is too large for the server: its request body would pass Infisical's limit (1 MiB, the
 * default of the server's HTTP framework), or the server answered 413. Nothing was stored.
 */
public class SecretTooLargeException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public SecretTooLargeException(String message) {
    super(message);
  }
}
