package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Turns provider replies into results or typed exceptions, the same way for every generation.
 *
 * <ul>
 *   <li>HTTP 200 with an envelope {@code {code, message, data}}: {@code code != 0} is an error;
 *       envelopes nest (system-server wraps a provider that wraps its own reply) and are unwrapped
 *       until the data is no envelope.
 *   <li>An empty success body is success (a JSON null).
 *   <li>HTTP 401 and 403 are access denied; 400, 404 and other 4xx are classified by the server's
 *       message; 5xx and 429 are the store being unavailable.
 *   <li>Messages: "data access denied" and permission wording mean access denied; "not found" or
 *       "not exist" wording, or code 1 without a message, mean not found; the rest is a store
 *       error. {@code provider service not found} (the generation-2 proxy's 400) is a store error.
 * </ul>
 *
 * Exception messages carry the server's message (shortened, control characters removed) and the
 * name of the call, never request or reply data.
 */
public final class Replies {
  private static final int MAX_ENVELOPES = 4;
  private static final Set<String> ENVELOPE_FIELDS = Set.of("code", "message", "data");

  private Replies() {}

  /** The data of a reply, unwrapped; throws the mapped exception for every error shape. */
  public static JsonNode read(Transport.Reply reply, String what, ObjectMapper json) {
    int status = reply.status();
    if (status < 200 || status > 299) {
      throw httpError(what, status, serverMessage(reply.body(), json));
    }
    if (isBlank(reply.body())) {
      return NullNode.getInstance();
    }
    JsonNode node;
    try {
      node = json.readTree(reply.body());
    } catch (IOException e) {
      throw new SecretsException(what + ": the reply (HTTP " + status + ") is not JSON");
    }
    return unwrap(node, what);
  }

  /** Unwraps nested {@code {code, message, data}} envelopes; throws on {@code code != 0}. */
  public static JsonNode unwrap(JsonNode node, String what) {
    JsonNode current = node == null ? NullNode.getInstance() : node;
    for (int depth = 0; depth < MAX_ENVELOPES && isEnvelope(current); depth++) {
      int code = current.get("code").asInt();
      String message = current.path("message").asText("");
      if (code != 0) {
        throw classify(what, code, message);
      }
      JsonNode data = current.get("data");
      current = data == null ? NullNode.getInstance() : data;
    }
    return current;
  }

  /** True where {@code node} is an object holding an integer {@code code} and nothing foreign. */
  static boolean isEnvelope(JsonNode node) {
    if (node == null || !node.isObject() || !node.has("code")) {
      return false;
    }
    JsonNode code = node.get("code");
    if (!code.isIntegralNumber()) {
      return false;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      if (!ENVELOPE_FIELDS.contains(it.next())) {
        return false;
      }
    }
    return true;
  }

  /** The exception for an envelope with {@code code != 0}. */
  public static SecretsException classify(String what, int code, String rawMessage) {
    String message = Errors.printable(rawMessage);
    String said =
        message.isEmpty()
            ? "the server answered code " + code + " without a message"
            : "the server answered code " + code + ": '" + message + "'";
    if (isDenial(message) || code == 401 || code == 403) {
      return new AccessDeniedException(what + ": access denied; " + said);
    }
    if (message.isEmpty() && code == 1) {
      return new SecretNotFoundException(what + ": not enabled or not found; " + said);
    }
    if (isMissing(message)) {
      return new SecretNotFoundException(what + ": not found; " + said);
    }
    if (code >= 500 || code == 429) {
      return new StoreUnavailableException(what + ": the provider failed; " + said);
    }
    return new SecretsException(what + ": " + said);
  }

  /** The exception for a non-2xx HTTP status. */
  public static SecretsException httpError(String what, int status, String rawMessage) {
    String message = Errors.printable(rawMessage);
    String said =
        "HTTP " + status + (message.isEmpty() ? "" : " with the message '" + message + "'");
    String lower = message.toLowerCase(Locale.ROOT);
    if (status == 401) {
      return new AccessDeniedException(what + ": not authenticated; " + said);
    }
    if (status == 403) {
      return new AccessDeniedException(what + ": forbidden; " + said);
    }
    if (lower.contains("provider service not found")) {
      return new SecretsException(
          what
              + ": no such provider service; "
              + said
              + " (is the provider app installed, and is it granted under permission.provider?)");
    }
    if (status == 429 || status >= 500) {
      return new StoreUnavailableException(what + ": " + serverFailed(status, rawMessage));
    }
    if (isDenial(message)) {
      return new AccessDeniedException(what + ": access denied; " + said);
    }
    if (status == 404 || isMissing(message)) {
      return new SecretNotFoundException(what + ": not found; " + said);
    }
    return new SecretsException(what + ": " + said);
  }

  /**
   * How an HTTP 429 or 5xx reads in a message: {@code the server failed; HTTP <status>} and the
   * server's message, shortened and made printable.
   */
  public static String serverFailed(int status, String rawMessage) {
    String message = Errors.printable(rawMessage);
    return "the server failed; HTTP "
        + status
        + (message.isEmpty() ? "" : " with the message '" + message + "'");
  }

  private static boolean isDenial(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("access denied")
        || m.contains("permission")
        || m.contains("not allowed")
        || m.contains("forbidden")
        || m.contains("unauthorized")
        || m.contains("unauthorised");
  }

  private static boolean isMissing(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("not found")
        || m.contains("not exist")
        || m.contains("no such")
        || m.contains("doesn't exist");
  }

  /** The message a server put into an error reply: a JSON {@code message}, or the plain text. */
  public static String serverMessage(byte[] body, ObjectMapper json) {
    if (isBlank(body)) {
      return "";
    }
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject()) {
        JsonNode m = node.get("message");
        if (m == null) {
          m = node.get("error");
        }
        return m == null || !m.isValueNode() ? "" : m.asText();
      }
      if (node != null && node.isTextual()) {
        return node.asText();
      }
    } catch (IOException e) {
      // not JSON: plain text, as the generation-2 proxy answers
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
