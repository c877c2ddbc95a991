package io.olares.secrets.testing.fake.olares;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One HTTP reply of a fake: status, content type and body text.
 *
 * @param status the HTTP status
 * @param contentType the content type, or null for none
 * @param body the body text; empty for none
 */
public record FakeReply(int status, String contentType, String body) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Validates. */
  public FakeReply {
    Objects.requireNonNull(body, "body");
  }

  /** HTTP 200 with a JSON body. */
  public static FakeReply json(JsonNode node) {
    return json(200, node);
  }

  /** A JSON body with {@code status}. */
  public static FakeReply json(int status, JsonNode node) {
    return new FakeReply(status, "application/json", node.toString());
  }

  /** A plain-text body with {@code status}, as the generation-2 proxy answers errors. */
  public static FakeReply text(int status, String text) {
    return new FakeReply(status, "text/plain; charset=utf-8", text);
  }

  /** HTTP 200 with an empty body. */
  public static FakeReply empty() {
    return new FakeReply(200, null, "");
  }

  /** HTTP 200 with {@code {"code": code, "message": message}} and, where not null, {@code data}. */
  public static FakeReply envelope(int code, String message, JsonNode data) {
    ObjectNode node = JSON.createObjectNode();
    node.put("code", code);
    node.put("message", message);
    if (data != null) {
      node.set("data", data);
    }
    return json(node);
  }

  /** HTTP 200 with an error envelope {@code {"code": code, "message": message}}. */
  public static FakeReply error(int code, String message) {
    return envelope(code, message, null);
  }

  /** True for an empty body. */
  public boolean isEmpty() {
    return body.isEmpty();
  }
}
