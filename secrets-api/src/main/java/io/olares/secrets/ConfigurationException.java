package io.olares.secrets;

/** The configuration is invalid or incomplete; the message names the setting. */
public class ConfigurationException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain a secret value. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message must not contain a secret value. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
