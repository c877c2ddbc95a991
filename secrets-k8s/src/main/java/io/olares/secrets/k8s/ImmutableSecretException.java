package io.olares.secrets.k8s;

import java.util.List;

/**
 * The Secret is marked {@code immutable: true}: Kubernetes refuses every change to its data for as
 * long as it exists. The way forward is to delete the Secret and create it again (pods that mount
 * it must be restarted to see the new one), or to write under a new Secret name.
 */
public final class ImmutableSecretException extends SecretRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for {@code namespace/secret}.
   *
   * @param namespace the namespace
   * @param secret the Secret's name
   * @param status the server's HTTP status (422), or 0 where the store saw the flag first
   * @param causes the server's causes; may be empty
   */
  public ImmutableSecretException(String namespace, String secret, int status, List<Cause> causes) {
    super(
        "Secret "
            + namespace
            + "/"
            + secret
            + " is immutable (immutable: true): Kubernetes refuses any change to its data; delete"
            + " it and create it again, or write to a new Secret name",
        status,
        "Immutable",
        causes);
  }
}
