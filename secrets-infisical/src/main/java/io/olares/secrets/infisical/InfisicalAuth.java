package io.olares.secrets.infisical;

import io.olares.secrets.SecretValue;
import java.nio.file.Path;

/**
 * How the store authenticates to Infisical: one immutable strategy per mechanism. None of them
 * shows a credential in {@code toString}.
 *
 * <ul>
 *   <li>{@link UniversalAuth}: a machine identity's client id and client secret, exchanged at
 *       {@code POST /api/v1/auth/universal-auth/login} for an access token that the store renews in
 *       the background and replaces by a fresh login when renewal is refused.
 *   <li>{@link KubernetesAuth}: a machine identity id and the pod's service-account token, read
 *       from its file at every login (the kubelet rotates it), exchanged at {@code POST
 *       /api/v1/auth/kubernetes-auth/login}.
 *   <li>{@link AccessTokenAuth}: an access token given directly; it is used as is, never renewed,
 *       and a rejection of it is final.
 * </ul>
 */
public sealed interface InfisicalAuth
    permits InfisicalAuth.UniversalAuth,
        InfisicalAuth.KubernetesAuth,
        InfisicalAuth.AccessTokenAuth {

  /** The default location of a pod's projected service-account token. */
  Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** A short name of the mechanism for logs and messages. */
  String method();

  /** Universal auth with a client id and secret; the store keeps its own copy of the secret. */
  static UniversalAuth universal(String clientId, SecretValue clientSecret) {
    return new UniversalAuth(clientId, clientSecret);
  }

  /** Kubernetes auth for {@code identityId} with the token at {@code tokenFile}. */
  static KubernetesAuth kubernetes(String identityId, Path tokenFile) {
    return new KubernetesAuth(identityId, tokenFile);
  }

  /** Kubernetes auth for {@code identityId} with the pod's default service-account token. */
  static KubernetesAuth kubernetes(String identityId) {
    return new KubernetesAuth(identityId, SERVICE_ACCOUNT_TOKEN);
  }

  /** A fixed access token; the store keeps its own copy. */
  static AccessTokenAuth accessToken(SecretValue token) {
    return new AccessTokenAuth(token);
  }

  /** Universal auth: client id (an identifier, not secret) and client secret. */
  final class UniversalAuth implements InfisicalAuth {
    private final String clientId;
    private final SecretValue clientSecret;

    private UniversalAuth(String clientId, SecretValue clientSecret) {
      this.clientId = requireText(clientId, "clientId");
      if (clientSecret == null || clientSecret.length() == 0) {
        throw new IllegalArgumentException("clientSecret is required");
      }
      this.clientSecret = clientSecret.copy();
    }

    /** The client id. */
    public String clientId() {
      return clientId;
    }

    /** The client secret; callers must not log it. */
    public SecretValue clientSecret() {
      return clientSecret;
    }

    @Override
    public String method() {
      return "universal-auth";
    }

    @Override
    public String toString() {
      return "UniversalAuth[clientId=" + clientId + ", clientSecret=redacted]";
    }
  }

  /** Kubernetes auth: identity id and the file holding the service-account token. */
  final class KubernetesAuth implements InfisicalAuth {
    private final String identityId;
    private final Path tokenFile;

    private KubernetesAuth(String identityId, Path tokenFile) {
      this.identityId = requireText(identityId, "identityId");
      if (tokenFile == null) {
        throw new IllegalArgumentException("tokenFile is required");
      }
      this.tokenFile = tokenFile;
    }

    /** The machine identity id. */
    public String identityId() {
      return identityId;
    }

    /** Where the service-account token is read from at each login. */
    public Path tokenFile() {
      return tokenFile;
    }

    @Override
    public String method() {
      return "kubernetes-auth";
    }

    @Override
    public String toString() {
      return "KubernetesAuth[identityId=" + identityId + ", tokenFile=" + tokenFile + "]";
    }
  }

  /** A fixed access token. */
  final class AccessTokenAuth implements InfisicalAuth {
    private final SecretValue token;

    private AccessTokenAuth(SecretValue token) {
      if (token == null || token.length() == 0) {
        throw new IllegalArgumentException("token is required");
      }
      this.token = token.copy();
    }

    /** The token; callers must not log it. */
    public SecretValue token() {
      return token;
    }

    @Override
    public String method() {
      return "access-token";
    }

    @Override
    public String toString() {
      return "AccessTokenAuth[token=redacted]";
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value.trim();
  }
}
