package io.olares.secrets.k8s.internal;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Secret;
import io.olares.secrets.k8s.internal.KubeJson.SecretPage;
import io.olares.secrets.k8s.internal.KubeJson.Status;
import io.olares.secrets.k8s.internal.KubeJson.WatchEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The Secret calls this module makes. The official client's {@link CoreV1Api} builds each request
 * (URL, query parameters, authentication from the kubeconfig or service account) and its HTTP
 * client sends it; bodies are written and read by {@link KubeJson}, which tolerates fields a newer
 * API server adds and never quotes a body in an error. Every failure becomes a {@link
 * KubeCallException} carrying the server's {@code Status}.
 *
 * <p>Thread-safe: the client is.
 */
public final class SecretsApi {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

  private final ApiClient client;
  private final CoreV1Api core;
  private final OkHttpClient watchHttp;

  /**
   * Wraps {@code client}; watches use a copy of its HTTP client whose read timeout outlasts the
   * server-side watch timeout by {@code watchSlack}.
   */
  public SecretsApi(ApiClient client, Duration watchTimeout, Duration watchSlack) {
    this.client = Objects.requireNonNull(client, "client");
    this.core = new CoreV1Api(client);
    this.watchHttp =
        client.getHttpClient().newBuilder().readTimeout(watchTimeout.plus(watchSlack)).build();
  }

  /** Where the client sends its calls. */
  public String basePath() {
    return client.getBasePath();
  }

  /** Reads a Secret; empty on 404. */
  public Optional<KubeSecret> read(String namespace, String name) throws KubeCallException {
    try {
      byte[] body = send(build(() -> core.readNamespacedSecret(name, namespace).buildCall(null)));
      return Optional.of(parse(() -> KubeJson.secret(body), body));
    } catch (KubeCallException e) {
      if (e.code() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Creates a Secret from a JSON body (see {@link KubeJson#newSecret}); the body is wiped. */
  public KubeSecret create(String namespace, byte[] secretJson) throws KubeCallException {
    try {
      Request template =
          build(() -> core.createNamespacedSecret(namespace, new V1Secret()).buildCall(null))
              .request();
      Request request = template.newBuilder().post(RequestBody.create(secretJson, JSON)).build();
      byte[] body = send(client.getHttpClient().newCall(request));
      return parse(() -> KubeJson.secret(body), body);
    } finally {
      Arrays.fill(secretJson, (byte) 0);
    }
  }

  /** Applies a JSON merge patch (RFC 7386) to a Secret; the patch is wiped. */
  public KubeSecret mergePatch(String namespace, String name, byte[] patch)
      throws KubeCallException {
    try {
      Request template =
          build(
                  () ->
                      core.patchNamespacedSecret(name, namespace, new V1Patch("{}"))
                          .buildCall(null))
              .request();
      Request request = template.newBuilder().patch(RequestBody.create(patch, MERGE_PATCH)).build();
      byte[] body = send(client.getHttpClient().newCall(request));
      return parse(() -> KubeJson.secret(body), body);
    } finally {
      Arrays.fill(patch, (byte) 0);
    }
  }

  /** Deletes a Secret; false on 404. */
  public boolean delete(String namespace, String name) throws KubeCallException {
    try {
      send(build(() -> core.deleteNamespacedSecret(name, namespace).buildCall(null)));
      return true;
    } catch (KubeCallException e) {
      if (e.code() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** One page of the Secrets in a namespace; the caller wipes the items. */
  public SecretPage list(String namespace, String labelSelector, String continueToken, int limit)
      throws KubeCallException {
    byte[] body =
        send(
            build(
                () ->
                    core.listNamespacedSecret(namespace)
                        .labelSelector(labelSelector)
                        ._continue(continueToken)
                        .limit(limit)
                        .buildCall(null)));
    return parse(() -> KubeJson.secretList(body), body);
  }

  /** Opens a watch of the Secrets in a namespace from {@code resourceVersion}. */
  public SecretWatch watch(String namespace, String resourceVersion, Duration timeout)
      throws KubeCallException {
    Call template =
        build(
            () ->
                core.listNamespacedSecret(namespace)
                    .watch(true)
                    .allowWatchBookmarks(true)
                    .resourceVersion(resourceVersion)
                    .timeoutSeconds((int) Math.max(1, timeout.toSeconds()))
                    .buildCall(null));
    Call call = watchHttp.newCall(template.request());
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new KubeCallException(e);
    }
    if (!response.isSuccessful()) {
      try (response) {
        throw failure(response, bytes(response));
      } catch (IOException e) {
        throw new KubeCallException(e);
      }
    }
    return new SecretWatch(call, response);
  }

  /** A running watch: newline-delimited events until the server ends the request. */
  public static final class SecretWatch implements AutoCloseable {
    private final Call call;
    private final Response response;
    private final BufferedSource source;

    private SecretWatch(Call call, Response response) {
      this.call = call;
      this.response = response;
      ResponseBody body = response.body();
      this.source = body.source();
    }

    /** The next event; null where the server ended the watch. */
    public WatchEvent next() throws IOException {
      String line;
      do {
        line = source.readUtf8Line();
        if (line == null) {
          return null;
        }
      } while (line.isBlank());
      return KubeJson.watchEvent(line);
    }

    /** Breaks the connection; safe from another thread (the reader then sees an IOException). */
    public void cancel() {
      call.cancel();
    }

    /** Ends the watch; call from the thread that reads it. */
    @Override
    public void close() {
      call.cancel();
      try {
        response.close();
      } catch (RuntimeException alreadyBroken) {
        // a cancelled exchange may refuse to drain; the connection is discarded either way
      }
    }
  }

  /** A failure from a {@code Status} object (as watch ERROR events carry). */
  public static KubeCallException fromStatus(int httpCode, Status status, long retryAfter) {
    int code = status != null && status.code() != 0 ? status.code() : httpCode;
    String reason = status != null && status.reason() != null ? status.reason() : "HTTP" + code;
    String message =
        status != null && status.message() != null
            ? KubeNames.printable500(status.message())
            : "HTTP " + code;
    return new KubeCallException(
        code, reason, message, status == null ? List.of() : status.causes(), retryAfter);
  }

  // ------------------------------------------------------------------------------ plumbing

  private interface CallBuilder {
    Call build() throws ApiException;
  }

  private interface Parser<T> {
    T parse() throws IOException;
  }

  private static Call build(CallBuilder builder) {
    try {
      return builder.build();
    } catch (ApiException e) {
      // only thrown for a missing required parameter, which callers never omit
      throw new IllegalArgumentException("cannot build a Kubernetes request (" + e.getCode() + ")");
    }
  }

  private static byte[] send(Call call) throws KubeCallException {
    try (Response response = call.execute()) {
      byte[] body = bytes(response);
      if (!response.isSuccessful()) {
        throw failure(response, body);
      }
      return body;
    } catch (IOException e) {
      throw new KubeCallException(e);
    }
  }

  private static <T> T parse(Parser<T> parser, byte[] body) throws KubeCallException {
    try {
      return parser.parse();
    } catch (IOException e) {
      throw new KubeCallException(e);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private static byte[] bytes(Response response) throws IOException {
    ResponseBody body = response.body();
    return body == null ? new byte[0] : body.bytes();
  }

  private static KubeCallException failure(Response response, byte[] body) {
    Status status = KubeJson.status(body);
    return fromStatus(response.code(), status, retryAfter(response.header("Retry-After")));
  }

  private static long retryAfter(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
