package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.SecretsException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Sends requests with OkHttp and reads replies whole, bounded in size. Thread-safe.
 *
 * <p>The transport sends each request exactly once: OkHttp's own silent repetition after a
 * connection failure is turned off, so that {@link Retrier} alone decides what is repeated. A
 * failed send reports how far the request got ({@link Stage}), which decides whether repeating it
 * is safe.
 */
public final class Transport {
  /** The largest reply body read. */
  public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final ObjectMapper json;

  /**
   * A transport over {@code http}: a client sharing its connections, dispatcher, timeouts and
   * interceptors, with OkHttp's repetition after connection failures turned off and a network
   * interceptor that notes when a request goes out on a connection and shortens a {@code
   * Retry-After} too large for OkHttp to read ({@link RetryAfter#readableByOkHttp}).
   */
  public Transport(OkHttpClient http, ObjectMapper json) {
    this.http =
        Objects.requireNonNull(http, "http")
            .newBuilder()
            .retryOnConnectionFailure(false)
            .addNetworkInterceptor(
                chain -> {
                  Progress progress = chain.request().tag(Progress.class);
                  if (progress != null) {
                    progress.sent = true;
                  }
                  return RetryAfter.readableByOkHttp(chain.proceed(chain.request()));
                })
            .build();
    this.json = Objects.requireNonNull(json, "json");
  }

  /** How far a request got before its exchange failed. */
  public enum Stage {
    /** No connection carried it: nothing reached the server. */
    NOT_SENT,
    /** It went out on a connection, but no answer arrived. */
    SENT,
    /** The answer's status and headers arrived, its body did not. */
    ANSWERING
  }

  /** A send that failed with an I/O error; {@link #getCause()} is the error. */
  public static final class SendFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final Stage stage;
    private final boolean timedOut;

    SendFailure(IOException cause, Stage stage) {
      super(describe(cause), cause);
      this.stage = stage;
      this.timedOut = cause instanceof InterruptedIOException;
    }

    /** How far the request got. */
    public Stage stage() {
      return stage;
    }

    /** True where a connect, read, write or call timeout ended the exchange. */
    public boolean timedOut() {
      return timedOut;
    }

    private static String describe(IOException e) {
      return e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + Errors.printable(e.getMessage()));
    }
  }

  /** Set by the network interceptor when a request is handed to a connection. */
  private static final class Progress {
    volatile boolean sent;
  }

  /**
   * A reply as received.
   *
   * @param status the HTTP status
   * @param body the body bytes; may hold secrets, never log them
   * @param headers the reply headers
   * @param url the URL that was called
   */
  public record Reply(int status, byte[] body, Headers headers, HttpUrl url) {
    @Override
    public String toString() {
      return "Reply[" + status + " from " + url + ", " + body.length + " bytes]";
    }
  }

  /** The JSON mapper replies are read with. */
  public ObjectMapper json() {
    return json;
  }

  /** A JSON request body; {@code null} becomes {@code {}}. */
  public RequestBody jsonBody(JsonNode node) {
    try {
      byte[] bytes = json.writeValueAsBytes(node == null ? json.createObjectNode() : node);
      return RequestBody.create(bytes, JSON);
    } catch (IOException e) {
      throw new SecretsException("cannot encode a request body: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Sends {@code request} once and reads the reply.
   *
   * @param what names the call in error messages
   * @param callTimeout where not null and shorter than the client's call timeout, the whole
   *     exchange's limit
   * @throws SendFailure where the exchange failed with an I/O error
   * @throws SecretsException where the reply body is larger than {@link #MAX_BODY_BYTES}
   */
  public Reply send(Request request, String what, Duration callTimeout) throws SendFailure {
    Progress progress = new Progress();
    Call call = http.newCall(request.newBuilder().tag(Progress.class, progress).build());
    if (callTimeout != null) {
      long limit = Math.max(1, callTimeout.toMillis());
      if (http.callTimeoutMillis() == 0 || limit < http.callTimeoutMillis()) {
        call.timeout().timeout(limit, TimeUnit.MILLISECONDS);
      }
    }
    Stage stage = Stage.NOT_SENT;
    try (Response response = call.execute()) {
      stage = Stage.ANSWERING;
      byte[] bytes = readBounded(response.body(), what);
      return new Reply(response.code(), bytes, response.headers(), request.url());
    } catch (IOException e) {
      if (stage == Stage.NOT_SENT && progress.sent) {
        stage = Stage.SENT;
      }
      throw new SendFailure(e, stage);
    }
  }

  private static byte[] readBounded(ResponseBody body, String what) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    BufferedSource source = body.source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new SecretsException(
          what + ": the reply is larger than " + MAX_BODY_BYTES + " bytes; refusing to read it");
    }
    return source.readByteArray();
  }
}
