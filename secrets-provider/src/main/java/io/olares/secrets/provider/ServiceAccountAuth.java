package io.olares.secrets.provider;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Generation-2 authentication: the pod's Kubernetes service-account token, sent as {@code
 * Authorization: Bearer}. The kubelet rotates the projected token file; the client notices a
 * changed file (modification time, size or file identity) on the next call and reads it again, and
 * re-reads it once more when a provider answers 401.
 *
 * <p>Immutable and thread-safe. The token is never logged.
 */
public final class ServiceAccountAuth implements ProviderAuth {
  /** Where Kubernetes projects the service-account token into a pod. */
  public static final Path DEFAULT_TOKEN_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final Path tokenFile;

  private ServiceAccountAuth(Path tokenFile) {
    this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
  }

  /** Reads the token from {@link #DEFAULT_TOKEN_FILE}. */
  public static ServiceAccountAuth inPod() {
    return new ServiceAccountAuth(DEFAULT_TOKEN_FILE);
  }

  /** Reads the token from {@code tokenFile}. */
  public static ServiceAccountAuth fromFile(Path tokenFile) {
    return new ServiceAccountAuth(tokenFile);
  }

  /** The token file. */
  public Path tokenFile() {
    return tokenFile;
  }

  @Override
  public Generation generation() {
    return Generation.PROVIDER;
  }

  /** Empty: every provider has its own host, which the client must be given. */
  @Override
  public Optional<HttpUrl> defaultEndpoint() {
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ServiceAccountAuth[tokenFile=" + tokenFile + "]";
  }
}
