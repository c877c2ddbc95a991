package io.olares.secrets.provider.internal;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;

/** Builds exceptions of the same kind as another, for handing one failure to several callers. */
public final class Errors {
  private Errors() {}

  /** A new exception of {@code e}'s kind with {@code message}, caused by {@code e}. */
  public static SecretsException sameKind(SecretsException e, String message) {
    if (e instanceof AccessDeniedException) {
      return new AccessDeniedException(message, e);
    }
    if (e instanceof SecretNotFoundException) {
      return new SecretNotFoundException(message, e);
    }
    if (e instanceof StoreUnavailableException) {
      return new StoreUnavailableException(message, e);
    }
    if (e instanceof ConfigurationException) {
      return new ConfigurationException(message, e);
    }
    return new SecretsException(message, e);
  }

  /**
   * Text a server sent, made safe to put in a message: control characters replaced, at most 200
   * characters.
   */
  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && sb.length() < 200; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    return text.length() > 200 ? sb.toString().strip() + "..." : sb.toString().strip();
  }
}
