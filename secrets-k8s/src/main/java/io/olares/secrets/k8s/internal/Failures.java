package io.olares.secrets.k8s.internal;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.ImmutableSecretException;
import io.olares.secrets.k8s.SecretRejectedException;
import io.olares.secrets.k8s.SecretRejectedException.Cause;

/**
 * Maps API server answers to the SDK's exceptions. Messages name the action, the Secret and the
 * server's own message (which names fields and keys, never values).
 */
public final class Failures {
  private static final String IMMUTABLE_MARK = "immutable when `immutable` is set";

  private Failures() {}

  /**
   * The SDK exception for a failed call.
   *
   * @param action what was being done, e.g. {@code "read"}
   * @param namespace the namespace
   * @param secret the Secret's name; null for namespace-wide calls
   * @param server the API server's address
   * @param e the failure
   */
  public static SecretsException toSdk(
      String action, String namespace, String secret, String server, KubeCallException e) {
    String target =
        secret == null ? "Secrets in namespace " + namespace : "Secret " + namespace + "/" + secret;
    String prefix = "could not " + action + " " + target;
    switch (e.code()) {
      case 0:
        return new StoreUnavailableException(
            prefix
                + ": the Kubernetes API server at "
                + server
                + " did not answer ("
                + e.serverMessage()
                + ")",
            e.transport());
      case 401:
        return new AccessDeniedException(
            prefix
                + ": the Kubernetes API server did not accept the client's credentials (401 "
                + e.reason()
                + "); check the service-account token or the kubeconfig user");
      case 403:
        return new AccessDeniedException(prefix + " (403 Forbidden): " + e.serverMessage());
      case 404:
        return new SecretNotFoundException(prefix + " (404 NotFound): " + e.serverMessage());
      case 409:
        return new StoreUnavailableException(
            prefix + " (409 " + e.reason() + "): " + e.serverMessage());
      case 410:
        return new StoreUnavailableException(prefix + " (410 Gone): " + e.serverMessage());
      case 400:
      case 422:
        return rejected(prefix, namespace, secret, e);
      default:
        if (e.isTransient()) {
          return new StoreUnavailableException(
              prefix + " (" + e.code() + " " + e.reason() + "): " + e.serverMessage());
        }
        return new SecretsException(
            prefix
                + ": unexpected answer "
                + e.code()
                + " "
                + e.reason()
                + ": "
                + e.serverMessage());
    }
  }

  private static SecretRejectedException rejected(
      String prefix, String namespace, String secret, KubeCallException e) {
    for (Cause c : e.causes()) {
      if (c.message().contains(IMMUTABLE_MARK)) {
        return new ImmutableSecretException(namespace, secret, e.code(), e.causes());
      }
    }
    if (e.causes().isEmpty() && e.serverMessage().contains(IMMUTABLE_MARK)) {
      return new ImmutableSecretException(namespace, secret, e.code(), e.causes());
    }
    StringBuilder message =
        new StringBuilder(prefix)
            .append(" (")
            .append(e.code())
            .append(' ')
            .append(e.reason())
            .append("): ");
    if (e.causes().isEmpty()) {
      message.append(e.serverMessage());
    } else {
      for (int i = 0; i < e.causes().size(); i++) {
        message.append(i == 0 ? "" : "; ").append(e.causes().get(i));
      }
    }
    return new SecretRejectedException(message.toString(), e.code(), e.reason(), e.causes());
  }
}
