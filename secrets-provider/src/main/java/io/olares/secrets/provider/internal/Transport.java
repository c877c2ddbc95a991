package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** Sends requests with OkHttp and reads replies whole, bounded in size. Thread-safe. */
public final class Transport {
  /** The largest reply body read. */
  public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final ObjectMapper json;

  /** A transport over {@code http}. */
  public Transport(OkHttpClient http, ObjectMapper json) {
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
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
   * Sends {@code request} and reads the reply.
   *
   * @param what names the call in error messages
   * @throws StoreUnavailableException where the server cannot be reached or the reply is cut off
   */
  public Reply exchange(Request request, String what) {
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = readBounded(body, what);
      return new Reply(response.code(), bytes, response.headers(), request.url());
    } catch (IOException e) {
      throw new StoreUnavailableException(
          what
              + ": cannot reach "
              + request.url().host()
              + ":"
              + request.url().port()
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + Errors.printable(e.getMessage()))
              + ")",
          e);
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
