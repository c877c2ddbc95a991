package io.olares.secrets.infisical.internal;

import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.InfisicalOptions;
import io.olares.secrets.infisical.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to one Infisical server with timeouts, a bounded number of attempts, backoff with
 * full jitter, {@code Retry-After} honoured on any status, and the host's shared {@link HostGate}.
 * Calls that are not safe to repeat are retried only where the server cannot have acted on them.
 *
 * <p>Thread-safe. Never logs bodies, tokens or query values beyond the path.
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final long MAX_BODY = 16L * 1024 * 1024;

  private final OkHttpClient client;
  private final HttpUrl base;
  private final RetryPolicy policy;
  private final Clock clock;
  private final RetryPolicy.Sleeper sleeper;
  private final java.util.random.RandomGenerator random;
  private final HostGate gate;
  private final Duration probeWait;

  /** A transport for the server in {@code options}, on the given clock. */
  public Transport(InfisicalOptions options, Clock clock) {
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .socketFactory(new NoDelaySocketFactory())
            .build();
    this.base = HttpUrl.get(options.site().toString());
    this.policy = options.retry();
    this.clock = clock;
    this.sleeper = options.sleeper();
    this.random = options.random();
    this.gate = HostGate.of(base.scheme() + "://" + base.host() + ":" + base.port(), clock);
    this.probeWait = options.callTimeout().plusSeconds(1);
    if (base.scheme().equals("http") && !isLoopback(base.host())) {
      LOG.warn(
          "Infisical at {} is reached over plain http: tokens and secrets cross the network"
              + " unencrypted",
          base.host());
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
  }

  /** A URL builder at {@code <site>/<path>}. */
  public HttpUrl.Builder url(String path) {
    return base.newBuilder().addPathSegments(path.startsWith("/") ? path.substring(1) : path);
  }

  /** The server, for messages. */
  public String server() {
    return base.host() + ":" + base.port();
  }

  /** The host gate this transport shares with others for the same host. */
  public HostGate gate() {
    return gate;
  }

  /**
   * One logical call.
   *
   * @param method HTTP method
   * @param url full URL
   * @param body JSON body or null; the caller wipes it after the call
   * @param bearer access token or null
   * @param idempotent true where repeating the request cannot do harm
   * @param what a short description for messages ({@code GET secret DB_PASSWORD})
   */
  public record Call(
      String method, HttpUrl url, byte[] body, String bearer, boolean idempotent, String what) {

    @Override
    public String toString() {
      return "Call[" + what + "]";
    }
  }

  /** An answer: status, {@code Retry-After}, body. */
  public record Reply(int status, String retryAfter, byte[] body) {

    /** True for 2xx. */
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Wipes the body. */
    public void wipe() {
      Arrays.fill(body, (byte) 0);
    }

    @Override
    public String toString() {
      return "Reply[" + status + "]";
    }
  }

  /** Turns a 2xx answer into a result; throws {@link MalformedAnswer} for an unreadable body. */
  @FunctionalInterface
  public interface Reader<T> {
    /** Reads the answer. */
    T read(Reply reply);
  }

  /** The body of a 2xx answer could not be read; the attempt counts as failed. */
  public static final class MalformedAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the signal; the message must not contain a value. */
    public MalformedAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends {@code call} until it succeeds, fails for good or the attempt budget is spent. A 2xx
   * answer goes to {@code reader}; any other final answer is returned as an {@link ApiError} via
   * {@code onError}.
   */
  public <T> T execute(Call call, Reader<T> reader, ErrorHandler<T> onError) {
    String failure = null;
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= policy.maxAttempts();
      HostGate.Permit permit =
          gate.enter(clock, sleeper, policy.maxRetryAfter(), probeWait, call.what());
      Reply reply;
      try {
        reply = send(call);
      } catch (IOException e) {
        boolean unsent = neverSent(e);
        Duration wait = gate.failed(permit, null, policy, random, clock);
        failure =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (last || !(call.idempotent() || unsent)) {
          throw unavailable(call, attempt, failure, !unsent && !call.idempotent(), e);
        }
        LOG.debug(
            "{}: attempt {} failed ({}); retrying in {} ms",
            call.what(),
            attempt,
            failure,
            wait.toMillis());
        continue;
      }
      Optional<Duration> retryAfter =
          reply.ok() ? Optional.empty() : RetryAfter.parse(reply.retryAfter(), clock.instant());
      if (retryAfter.isPresent()) {
        gate.failed(permit, retryAfter.get(), policy, random, clock);
        failure = "HTTP " + reply.status() + " with Retry-After " + reply.retryAfter();
        if (last || retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
          throw unavailable(call, attempt, failure, false, null);
        }
        LOG.debug("{}: attempt {} got {}; waiting as asked", call.what(), attempt, failure);
        continue;
      }
      if (reply.status() == 429 || reply.status() >= 500) {
        boolean declined = reply.status() == 429;
        Duration wait = gate.failed(permit, null, policy, random, clock);
        failure = "HTTP " + reply.status();
        if (last || !(call.idempotent() || declined)) {
          ApiError error = ApiError.parse(reply.status(), reply.body());
          throw unavailable(call, attempt, error.describe(), !declined && !call.idempotent(), null);
        }
        LOG.debug(
            "{}: attempt {} got {}; retrying in {} ms",
            call.what(),
            attempt,
            failure,
            wait.toMillis());
        continue;
      }
      if (!reply.ok()) {
        gate.succeeded(permit);
        return onError.handle(ApiError.parse(reply.status(), reply.body()));
      }
      try {
        T result = reader.read(reply);
        gate.succeeded(permit);
        return result;
      } catch (MalformedAnswer e) {
        gate.failed(permit, null, policy, random, clock);
        failure = e.getMessage();
        if (last || !call.idempotent()) {
          throw unavailable(call, attempt, failure, !call.idempotent(), e);
        }
        LOG.debug(
            "{}: attempt {} answered unreadably ({}); retrying", call.what(), attempt, failure);
      } finally {
        reply.wipe();
      }
    }
  }

  /** Maps a final non-2xx answer to a result or an exception. */
  @FunctionalInterface
  public interface ErrorHandler<T> {
    /** Handles the error. */
    T handle(ApiError error);
  }

  private Reply send(Call call) throws IOException {
    RequestBody body = call.body() == null ? null : RequestBody.create(call.body(), JSON);
    Request.Builder request =
        new Request.Builder()
            .url(call.url())
            .method(call.method(), body)
            .header("Accept", "application/json");
    if (call.bearer() != null) {
      request.header("Authorization", "Bearer " + call.bearer());
    }
    try (Response response = client.newCall(request.build()).execute()) {
      return new Reply(response.code(), response.header("Retry-After"), readBody(response));
    }
  }

  private static byte[] readBody(Response response) throws IOException {
    ResponseBody body = response.body();
    BufferedSource source = body.source();
    Buffer buffer = new Buffer();
    long total = 0;
    while (true) {
      long n = source.read(buffer, 8192);
      if (n < 0) {
        break;
      }
      total += n;
      if (total > MAX_BODY) {
        buffer.clear();
        throw new IOException("answer is larger than " + MAX_BODY + " bytes");
      }
    }
    return buffer.readByteArray();
  }

  /** True where the request cannot have reached the server. */
  private static boolean neverSent(IOException e) {
    if (e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnknownHostException) {
      return true;
    }
    return e instanceof InterruptedIOException
        && e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect");
  }

  private StoreUnavailableException unavailable(
      Call call, int attempts, String failure, boolean outcomeUnknown, Throwable cause) {
    String message =
        "Infisical at "
            + server()
            + " failed "
            + call.what()
            + " after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ": "
            + failure
            + (outcomeUnknown
                ? " (the request may have been applied; it was not repeated because it is not"
                    + " safe to repeat)"
                : "");
    return new StoreUnavailableException(message, cause);
  }

  /** Releases connections and threads. */
  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
