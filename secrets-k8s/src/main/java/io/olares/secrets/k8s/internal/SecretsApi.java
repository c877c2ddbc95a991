package io.olares.secrets.k8s.internal;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretList;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.olares.secrets.k8s.SecretRejectedException.Cause;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/**
 * The Secret calls this module makes, through the official client's {@link CoreV1Api}. Every
 * failure becomes a {@link KubeCallException} carrying the server's {@code Status}; the client's
 * own {@link ApiException} never leaves this class, since its message repeats the whole response
 * body.
 *
 * <p>Thread-safe: the client is.
 */
public final class SecretsApi {
  private static final Type WATCH_TYPE = new TypeToken<Watch.Response<V1Secret>>() {}.getType();

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
  public Optional<V1Secret> read(String namespace, String name) throws KubeCallException {
    try {
      return Optional.of(core.readNamespacedSecret(name, namespace).execute());
    } catch (ApiException e) {
      KubeCallException failure = translate(e);
      if (failure.code() == 404) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  /** Creates a Secret. */
  public V1Secret create(String namespace, V1Secret secret) throws KubeCallException {
    try {
      return core.createNamespacedSecret(namespace, secret).execute();
    } catch (ApiException e) {
      throw translate(e);
    }
  }

  /** Applies a JSON merge patch (RFC 7386) to a Secret. */
  public V1Secret mergePatch(String namespace, String name, String patch) throws KubeCallException {
    try {
      return PatchUtils.patch(
          V1Secret.class,
          () -> core.patchNamespacedSecret(name, namespace, new V1Patch(patch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw translate(e);
    }
  }

  /** Deletes a Secret; false on 404. */
  public boolean delete(String namespace, String name) throws KubeCallException {
    try {
      core.deleteNamespacedSecret(name, namespace).execute();
      return true;
    } catch (ApiException e) {
      KubeCallException failure = translate(e);
      if (failure.code() == 404) {
        return false;
      }
      throw failure;
    }
  }

  /** One page of the Secrets in a namespace. */
  public V1SecretList list(String namespace, String labelSelector, String continueToken, int limit)
      throws KubeCallException {
    try {
      return core.listNamespacedSecret(namespace)
          .labelSelector(labelSelector)
          ._continue(continueToken)
          .limit(limit)
          .execute();
    } catch (ApiException e) {
      throw translate(e);
    }
  }

  /**
   * Opens a watch of the Secrets in a namespace from {@code resourceVersion}. The caller closes it.
   */
  public Watch<V1Secret> watch(String namespace, String resourceVersion, Duration timeout)
      throws KubeCallException {
    try {
      Call call =
          core.listNamespacedSecret(namespace)
              .watch(true)
              .allowWatchBookmarks(true)
              .resourceVersion(resourceVersion)
              .timeoutSeconds((int) Math.max(1, timeout.toSeconds()))
              .buildCall(null);
      return Watch.createWatch(client, watchHttp.newCall(call.request()), WATCH_TYPE);
    } catch (ApiException e) {
      throw translate(e);
    }
  }

  /** Turns the client's exception into a {@link KubeCallException}, parsing the Status body. */
  public KubeCallException translate(ApiException e) {
    if (e.getCode() == 0) {
      Throwable cause = e.getCause();
      IOException io =
          cause instanceof IOException ioe
              ? ioe
              : new IOException(cause == null ? "no answer" : cause.getClass().getSimpleName());
      return new KubeCallException(io);
    }
    V1Status status = parseStatus(e.getResponseBody());
    return fromStatus(e.getCode(), status, retryAfter(e.getResponseHeaders()));
  }

  /** A failure from a {@code Status} object (as watch ERROR events carry). */
  public static KubeCallException fromStatus(int httpCode, V1Status status, long retryAfter) {
    int code = status != null && status.getCode() != null ? status.getCode() : httpCode;
    String reason =
        status != null && status.getReason() != null ? status.getReason() : "HTTP" + code;
    String message =
        status != null && status.getMessage() != null
            ? KubeNames.printable500(status.getMessage())
            : "HTTP " + code;
    List<Cause> causes = new ArrayList<>();
    V1StatusDetails details = status == null ? null : status.getDetails();
    if (details != null && details.getCauses() != null) {
      for (V1StatusCause c : details.getCauses()) {
        causes.add(
            new Cause(
                c.getField(),
                c.getReason(),
                c.getMessage() == null ? "" : KubeNames.printable500(c.getMessage())));
      }
    }
    return new KubeCallException(code, reason, message, causes, retryAfter);
  }

  private V1Status parseStatus(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      V1Status status = io.kubernetes.client.openapi.JSON.deserialize(body, V1Status.class);
      return status != null && "Status".equals(status.getKind()) ? status : null;
    } catch (RuntimeException notStatus) {
      return null;
    }
  }

  private static long retryAfter(Map<String, List<String>> headers) {
    if (headers == null) {
      return -1;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if ("retry-after".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
        try {
          return Long.parseLong(h.getValue().get(0).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
