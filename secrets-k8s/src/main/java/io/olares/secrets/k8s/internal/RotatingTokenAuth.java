package io.olares.secrets.k8s.internal;

import io.olares.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bearer authentication with a service-account token file that the kubelet rotates. The file is
 * read again when its target, modification time or size changes, when the last read is older than
 * {@code maxAge}, and once after a 401 answer (the request is then retried with the new token if it
 * differs). The token never reaches a log or a message.
 *
 * <p>Thread-safe.
 */
public final class RotatingTokenAuth implements Interceptor {
  private final Path file;
  private final Clock clock;
  private final Duration maxAge;
  private String token;
  private Object stamp;
  private Instant readAt;

  /** Authenticates with the token in {@code file}. */
  public RotatingTokenAuth(Path file, Clock clock, Duration maxAge) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  /** The current token, read again where the file changed; fails where it cannot be read. */
  public synchronized String token() throws IOException {
    Object now = stamp();
    Instant t = clock.instant();
    if (token == null || !now.equals(stamp) || readAt.plus(maxAge).isBefore(t)) {
      String read = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (read.isEmpty()) {
        throw new IOException("the service-account token file " + file + " is empty");
      }
      token = read;
      stamp = now;
      readAt = t;
    }
    return token;
  }

  private synchronized String reload() throws IOException {
    token = null;
    return token();
  }

  private Object stamp() throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
    return java.util.List.of(real.toString(), a.lastModifiedTime().toMillis(), a.size());
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String used = token();
    Response response = chain.proceed(withToken(chain.request(), used));
    if (response.code() != 401) {
      return response;
    }
    String fresh = reload();
    if (fresh.equals(used)) {
      return response;
    }
    response.close();
    return chain.proceed(withToken(chain.request(), fresh));
  }

  private static Request withToken(Request request, String token) {
    return request.newBuilder().header("Authorization", "Bearer " + token).build();
  }

  /** Fails at open time, naming the file, where the token cannot be read at all. */
  public void check() {
    try {
      token();
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read the service-account token file "
              + file
              + ": "
              + e.getClass().getSimpleName());
    }
  }
}
