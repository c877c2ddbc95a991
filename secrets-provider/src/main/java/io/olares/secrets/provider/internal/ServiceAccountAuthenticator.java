package io.olares.secrets.provider.internal;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.provider.ProviderOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generation-2 credentials: the service-account token file, read again whenever its modification
 * time, size or identity changes (the kubelet swaps in a new file when it rotates the token), and
 * once more after a 401.
 */
public final class ServiceAccountAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountAuthenticator.class);

  private final Path file;
  private final Object lock = new Object();
  private Snapshot snapshot;
  private volatile SecretsException lastError;

  private record Snapshot(FileTime modified, long size, Object fileKey, String token) {}

  /** Credentials from {@code file}. */
  public ServiceAccountAuthenticator(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public String authorize(Request.Builder request, ProviderOp op) {
    String token = current();
    request.header("Authorization", "Bearer " + token);
    return token;
  }

  @Override
  public boolean rejected(ProviderOp op, String credential, int status) {
    if (status != 401) {
      return false;
    }
    synchronized (lock) {
      if (snapshot != null && snapshot.token().equals(credential)) {
        snapshot = null;
      }
    }
    return !credential.equals(current());
  }

  @Override
  public Optional<SecretsException> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public void close() {
    synchronized (lock) {
      snapshot = null;
    }
  }

  /** The token, read again where the file changed. */
  String current() {
    synchronized (lock) {
      try {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (snapshot != null
            && snapshot.modified().equals(attrs.lastModifiedTime())
            && snapshot.size() == attrs.size()
            && Objects.equals(snapshot.fileKey(), attrs.fileKey())) {
          return snapshot.token();
        }
        String token = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw fail(
              new ConfigurationException("the service-account token file " + file + " is empty"));
        }
        if (snapshot != null) {
          LOG.info("service-account token file {} changed; using the new token", file);
        }
        snapshot = new Snapshot(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey(), token);
        lastError = null;
        return token;
      } catch (NoSuchFileException e) {
        throw fail(
            new ConfigurationException(
                "the service-account token file "
                    + file
                    + " does not exist: generation-2 provider access needs the pod's projected"
                    + " service-account token",
                e));
      } catch (IOException e) {
        throw fail(
            new ConfigurationException(
                "cannot read the service-account token file "
                    + file
                    + " ("
                    + e.getClass().getSimpleName()
                    + ")",
                e));
      }
    }
  }

  private SecretsException fail(SecretsException e) {
    lastError = e;
    return e;
  }
}
