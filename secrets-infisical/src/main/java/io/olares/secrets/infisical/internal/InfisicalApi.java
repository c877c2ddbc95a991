package io.olares.secrets.infisical.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.SecretTooLargeException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Infisical's v3 raw secrets API and folder API for one store: each method authenticates with the
 * {@link TokenManager} (logging in again once where the server rejects the token) and sends through
 * the {@link Transport}.
 *
 * <p>Thread-safe.
 */
public final class InfisicalApi {
  /** The largest request body the server takes (its framework's default of 1 MiB). */
  public static final int MAX_BODY = 1024 * 1024;

  private static final String TYPE = "shared";
  private static final int MAX_ROUNDS = 3;

  private final Transport transport;
  private final TokenManager tokens;
  private final String store;
  private final Map<String, String> projectIds = new ConcurrentHashMap<>();

  /** An API over {@code transport}, authenticated by {@code tokens}. */
  public InfisicalApi(Transport transport, TokenManager tokens, String store) {
    this.transport = transport;
    this.tokens = tokens;
    this.store = store;
  }

  /** The answer to one request: a value, or the server's error. */
  private record Result<T>(T value, ApiError error) {
    boolean ok() {
      return error == null;
    }
  }

  /** The server rejected the token. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    Rejected(ApiError error) {
      super(null, null, false, false);
      this.error = error;
    }
  }

  /** What a write did. */
  public enum Written {
    CREATED,
    UPDATED
  }

  /** Reads a secret (a given version where {@code location.version()} is set). */
  public Optional<SecretEntry> get(Location at) {
    String projectId = projectId(at);
    HttpUrl.Builder url =
        transport
            .url("/api/v3/secrets/raw")
            .addPathSegment(at.name())
            .addQueryParameter("workspaceId", projectId)
            .addQueryParameter("environment", at.environment())
            .addQueryParameter("secretPath", at.secretPath());
    if (at.version() != null) {
      url.addQueryParameter("version", at.version().toString());
    }
    url.addQueryParameter("type", TYPE);
    HttpUrl built = url.build();
    Result<SecretEntry> r =
        send(
            token -> new Transport.Call("GET", built, null, token, true, "read " + at.describe()),
            reply -> SecretJson.readSecret(reply.body()));
    if (r.ok()) {
      return Optional.of(r.value());
    }
    switch (r.error().kind()) {
      case SECRET_NOT_FOUND:
      case FOLDER_NOT_FOUND:
      case ENVIRONMENT_NOT_FOUND:
        return Optional.empty();
      default:
        throw fail(r.error(), "read", at);
    }
  }

  /** Lists the secrets at and below a folder; values are dropped. */
  public List<SecretEntry> list(Location at) {
    HttpUrl.Builder url = transport.url("/api/v3/secrets/raw");
    if (at.projectIsId()) {
      url.addQueryParameter("workspaceId", at.project());
    } else {
      url.addQueryParameter("workspaceSlug", at.project());
    }
    HttpUrl built =
        url.addQueryParameter("environment", at.environment())
            .addQueryParameter("secretPath", at.secretPath())
            .addQueryParameter("recursive", "true")
            .build();
    Result<List<SecretEntry>> r =
        send(
            token -> new Transport.Call("GET", built, null, token, true, "list " + at.describe()),
            reply -> SecretJson.readSecrets(reply.body()));
    if (r.ok()) {
      return r.value();
    }
    switch (r.error().kind()) {
      case FOLDER_NOT_FOUND:
      case ENVIRONMENT_NOT_FOUND:
        return List.of();
      default:
        throw fail(r.error(), "list", at);
    }
  }

  /**
   * Creates the secret, or updates it where it exists, creating missing folders on the way.
   *
   * @param value the text to store; the caller wipes it
   */
  public Written put(Location at, char[] value) {
    String projectId = projectId(at);
    boolean foldersMade = false;
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Result<SecretEntry> created = write("POST", projectId, at, value);
      if (created.ok()) {
        return Written.CREATED;
      }
      switch (created.error().kind()) {
        case ALREADY_EXISTS:
          Result<SecretEntry> updated = write("PATCH", projectId, at, value);
          if (updated.ok()) {
            return Written.UPDATED;
          }
          if (updated.error().kind() != ApiError.Kind.SECRET_NOT_FOUND) {
            throw fail(updated.error(), "update", at);
          }
          break; // deleted meanwhile: create again
        case FOLDER_NOT_FOUND:
          if (foldersMade || at.folders().isEmpty()) {
            throw fail(created.error(), "create", at);
          }
          makeFolders(projectId, at);
          foldersMade = true;
          break;
        default:
          throw fail(created.error(), "create", at);
      }
    }
    throw new StoreUnavailableException(
        "Infisical kept changing " + at.describe() + " while it was written; gave up");
  }

  private Result<SecretEntry> write(String method, String projectId, Location at, char[] value) {
    byte[] body =
        Json.write(
            g -> {
              g.writeStringField("workspaceId", projectId);
              g.writeStringField("environment", at.environment());
              g.writeStringField("secretPath", at.secretPath());
              g.writeFieldName("secretValue");
              g.writeString(value, 0, value.length);
              g.writeStringField("type", TYPE);
            });
    try {
      if (body.length > MAX_BODY) {
        throw tooLarge(at, body.length);
      }
      HttpUrl url = transport.url("/api/v3/secrets/raw").addPathSegment(at.name()).build();
      String what = (method.equals("POST") ? "create " : "update ") + at.describe();
      return send(
          token -> new Transport.Call(method, url, body, token, false, what),
          reply -> {
            SecretEntry e = SecretJson.readSecret(reply.body());
            e.wipe();
            return e;
          });
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private void makeFolders(String projectId, Location at) {
    HttpUrl url = transport.url("/api/v1/folders").build();
    for (int i = 0; i < at.folders().size(); i++) {
      String parent = "/" + String.join("/", at.folders().subList(0, i));
      String name = at.folders().get(i);
      byte[] body =
          Json.write(
              g -> {
                g.writeStringField("workspaceId", projectId);
                g.writeStringField("environment", at.environment());
                g.writeStringField("name", name);
                g.writeStringField("path", parent);
              });
      Result<Boolean> r =
          send(
              token ->
                  new Transport.Call(
                      "POST", url, body, token, true, "create folder " + parent + " " + name),
              reply -> Boolean.TRUE);
      if (!r.ok() && r.error().kind() != ApiError.Kind.ALREADY_EXISTS) {
        throw fail(r.error(), "create folders for", at);
      }
    }
  }

  /** Deletes a secret; false where it did not exist. */
  public boolean delete(Location at) {
    String projectId = projectId(at);
    byte[] body =
        Json.write(
            g -> {
              g.writeStringField("workspaceId", projectId);
              g.writeStringField("environment", at.environment());
              g.writeStringField("secretPath", at.secretPath());
              g.writeStringField("type", TYPE);
            });
    HttpUrl url = transport.url("/api/v3/secrets/raw").addPathSegment(at.name()).build();
    Result<Boolean> r =
        send(
            token ->
                new Transport.Call("DELETE", url, body, token, true, "delete " + at.describe()),
            reply -> Boolean.TRUE);
    if (r.ok()) {
      return true;
    }
    switch (r.error().kind()) {
      case SECRET_NOT_FOUND:
      case FOLDER_NOT_FOUND:
      case ENVIRONMENT_NOT_FOUND:
        return false;
      default:
        throw fail(r.error(), "delete", at);
    }
  }

  /** The project id of a location, resolving a slug once per store. */
  public String projectId(Location at) {
    if (at.projectIsId()) {
      return at.project();
    }
    String known = projectIds.get(at.project());
    if (known != null) {
      return known;
    }
    HttpUrl url = transport.url("/api/v2/workspace").addPathSegment(at.project()).build();
    Result<String> r =
        send(
            token ->
                new Transport.Call(
                    "GET", url, null, token, true, "look up project " + at.project()),
            InfisicalApi::readProjectId);
    if (!r.ok()) {
      switch (r.error().kind()) {
        case NOT_FOUND:
        case PROJECT_NOT_FOUND:
          throw new SecretNotFoundException(
              "Infisical project '" + at.project() + "' not found (" + r.error().describe() + ")");
        case ROUTE_NOT_FOUND:
          throw new ConfigurationException(
              "Infisical at "
                  + transport.server()
                  + " cannot look up project slugs; use the project id in references to '"
                  + at.project()
                  + "'");
        default:
          throw fail(r.error(), "look up the project of", at);
      }
    }
    projectIds.put(at.project(), r.value());
    return r.value();
  }

  private static String readProjectId(Transport.Reply reply) {
    try {
      JsonNode node = Json.MAPPER.readTree(reply.body());
      JsonNode project = node.has("project") ? node.get("project") : node;
      String id = project.path("id").asText("");
      if (id.isEmpty()) {
        throw new Transport.MalformedAnswer("project answer has no id", null);
      }
      return id;
    } catch (IOException e) {
      throw new Transport.MalformedAnswer("project answer is not valid JSON", e);
    }
  }

  /**
   * Sends a request with the current token; where the server rejects the token, logs in again once
   * and repeats it.
   */
  private <T> Result<T> send(Function<String, Transport.Call> call, Transport.Reader<T> reader) {
    TokenManager.AccessToken token = tokens.current();
    try {
      return attempt(call.apply(token.value()), reader);
    } catch (Rejected first) {
      if (!tokens.canLogIn()) {
        throw new AccessDeniedException(
            "Infisical rejected the access token of store "
                + store
                + " ("
                + first.error.describe()
                + ")");
      }
      tokens.rejected(token);
      TokenManager.AccessToken fresh = tokens.current();
      try {
        return attempt(call.apply(fresh.value()), reader);
      } catch (Rejected again) {
        throw new AccessDeniedException(
            "Infisical rejected a fresh access token of store "
                + store
                + " ("
                + again.error.describe()
                + ")");
      }
    }
  }

  private <T> Result<T> attempt(Transport.Call call, Transport.Reader<T> reader) {
    return transport.execute(
        call,
        reply -> new Result<>(reader.read(reply), null),
        error -> {
          if (error.kind() == ApiError.Kind.TOKEN_REJECTED) {
            throw new Rejected(error);
          }
          return new Result<>(null, error);
        });
  }

  private SecretsException fail(ApiError error, String operation, Location at) {
    String what =
        "Infisical at "
            + transport.server()
            + " refused to "
            + operation
            + " "
            + at.describe()
            + " ("
            + error.describe()
            + ")";
    switch (error.kind()) {
      case SECRET_NOT_FOUND:
      case FOLDER_NOT_FOUND:
      case ENVIRONMENT_NOT_FOUND:
      case PROJECT_NOT_FOUND:
      case NOT_FOUND:
        return new SecretNotFoundException(what);
      case FORBIDDEN:
        return new AccessDeniedException(what);
      case INVALID_REQUEST:
      case ALREADY_EXISTS:
        return new InvalidReferenceException(what);
      case ROUTE_NOT_FOUND:
        return new ConfigurationException(
            what + "; the store needs Infisical's v3 raw secrets API");
      case TOO_LARGE:
        return new SecretTooLargeException(what);
      case SERVER_BUSY:
        return new StoreUnavailableException(what);
      default:
        return new SecretsException(what);
    }
  }

  private static SecretTooLargeException tooLarge(Location at, int bytes) {
    return new SecretTooLargeException(
        "the value for "
            + at.describe()
            + " needs a "
            + bytes
            + "-byte request; Infisical accepts at most "
            + MAX_BODY
            + " bytes");
  }
}
