package io.olares.secrets.testing.fake.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request/response pairs captured from a real self-hosted Infisical server ({@code
 * infisical/captures.json} in the shared test data), as data.
 *
 * <p>A captured request path may end in an annotation in parentheses that says how the request was
 * authorised: {@code (no authorization header)} or {@code (authorization: Bearer ...)}; every other
 * request carried the token of the preceding login.
 */
public final class Captures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String server;
  private final List<Exchange> exchanges;

  private Captures(String server, List<Exchange> exchanges) {
    this.server = server;
    this.exchanges = List.copyOf(exchanges);
  }

  /** How a captured request was authorised. */
  public enum Authorization {
    /** With the token of the preceding login. */
    SESSION_TOKEN,
    /** Without an {@code Authorization} header. */
    NONE,
    /** With the header value the annotation names. */
    EXPLICIT
  }

  /**
   * One captured exchange.
   *
   * @param name the capture's name, e.g. {@code get_missing}
   * @param note a remark, or null
   * @param method the HTTP method
   * @param target the request target (path and query) without the annotation
   * @param authorization how the request was authorised
   * @param authorizationHeader the explicit header value, or null
   * @param requestJson the request body as compact JSON text, or null
   * @param status the response status
   * @param headers the response headers the capture recorded (lower-case names), often none
   * @param responseJson the response body as compact JSON text, as the server sent it
   */
  public record Exchange(
      String name,
      String note,
      String method,
      String target,
      Authorization authorization,
      String authorizationHeader,
      String requestJson,
      int status,
      Map<String, String> headers,
      String responseJson) {

    /** Copies the headers. */
    public Exchange {
      headers = Map.copyOf(headers);
    }

    /** The request body, if any. */
    public Optional<String> requestBody() {
      return Optional.ofNullable(requestJson);
    }

    /** The path part of the target. */
    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }
  }

  /** Loads the captures from a {@code captures.json} file. */
  public static Captures load(Path file) {
    try {
      return parse(MAPPER.readTree(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Infisical captures from " + file, e);
    }
  }

  /** The captures under a shared test-data folder ({@code <testdata>/infisical/captures.json}). */
  public static Path file(Path testdata) {
    return testdata.resolve("infisical").resolve("captures.json");
  }

  private static Captures parse(JsonNode root) {
    List<Exchange> out = new ArrayList<>();
    for (JsonNode node : root.path("exchanges")) {
      JsonNode request = node.path("request");
      JsonNode response = node.path("response");
      String rawPath = request.path("path").asText();
      Authorization authorization = Authorization.SESSION_TOKEN;
      String header = null;
      String target = rawPath;
      int space = rawPath.indexOf(" (");
      if (space >= 0 && rawPath.endsWith(")")) {
        target = rawPath.substring(0, space);
        String note = rawPath.substring(space + 2, rawPath.length() - 1);
        if (note.equalsIgnoreCase("no authorization header")) {
          authorization = Authorization.NONE;
        } else if (note.toLowerCase(java.util.Locale.ROOT).startsWith("authorization:")) {
          authorization = Authorization.EXPLICIT;
          header = note.substring("authorization:".length()).trim();
        } else {
          throw new IllegalArgumentException(
              "capture " + node.path("name").asText() + " has an unknown annotation: " + note);
        }
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : response.path("headers").properties()) {
        headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText());
      }
      JsonNode body = request.get("body");
      out.add(
          new Exchange(
              node.path("name").asText(),
              node.hasNonNull("note") ? node.get("note").asText() : null,
              request.path("method").asText(),
              target,
              authorization,
              header,
              body == null || body.isNull() ? null : compact(body),
              response.path("status").asInt(),
              headers,
              compact(response.path("body"))));
    }
    return new Captures(root.path("server").asText(), out);
  }

  private static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server the captures came from, as the file describes it. */
  public String server() {
    return server;
  }

  /** Every exchange, in capture order. */
  public List<Exchange> exchanges() {
    return exchanges;
  }

  /** The exchange with {@code name}. */
  public Exchange exchange(String name) {
    return exchanges.stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no captured exchange named " + name));
  }
}
