package io.olares.secrets.provider;

import io.olares.secrets.AccessDeniedException;
import java.util.Objects;

/**
 * An integration account can no longer give out credentials until the user connects it again in
 * Settings: Settings marked it unavailable (a token refresh failed after expiry), or it is an
 * Olares Space account whose token expired (apps cannot refresh those).
 */
public final class IntegrationReconnectRequiredException extends AccessDeniedException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final String name;

  /**
   * Creates the exception.
   *
   * @param type the account type, e.g. {@code google}
   * @param name the account name (an identifier, not a secret)
   * @param reason why, in words safe to show
   */
  public IntegrationReconnectRequiredException(String type, String name, String reason) {
    super(
        "integration account "
            + type
            + "/"
            + name
            + " must be reconnected: "
            + reason
            + ". Open Settings > Integration on Olares and connect the account again.");
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The account type. */
  public String type() {
    return type;
  }

  /** The account name. */
  public String name() {
    return name;
  }
}
