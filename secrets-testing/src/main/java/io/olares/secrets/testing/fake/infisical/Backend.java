package io.olares.secrets.testing.fake.infisical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The state of the fake Infisical server and the answer to each request, in the shapes the real
 * server sends (see {@code captures.json}). All methods run under the instance lock.
 */
final class Backend {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final List<String> SECRET_TYPES = List.of("shared", "personal");

  /** One request, already taken apart. */
  record Request(
      String method,
      Route route,
      String target,
      List<String> segments,
      Map<String, String> query,
      String authorization,
      byte[] body) {}

  /** One answer: status, extra headers and a JSON body. */
  record Reply(int status, Map<String, String> headers, String body) {}

  private final Clock clock;
  private final Supplier<String> ids;
  private final Supplier<String> tokenValues;
  private final boolean versionQueryIgnored;
  private final int readLimit;
  private final Duration readWindow;
  private final long bodyLimit;

  private final Map<String, Project> projects = new LinkedHashMap<>();
  private final Map<String, UniversalIdentity> universal = new LinkedHashMap<>();
  private final Map<String, KubernetesIdentity> kubernetes = new LinkedHashMap<>();
  private final Map<String, Token> tokens = new LinkedHashMap<>();
  private final Map<String, Window> windows = new LinkedHashMap<>();

  Backend(
      Clock clock,
      Supplier<String> ids,
      Supplier<String> tokenValues,
      boolean versionQueryIgnored,
      int readLimit,
      Duration readWindow,
      long bodyLimit) {
    this.clock = clock;
    this.ids = ids;
    this.tokenValues = tokenValues;
    this.versionQueryIgnored = versionQueryIgnored;
    this.readLimit = readLimit;
    this.readWindow = readWindow;
    this.bodyLimit = bodyLimit;
  }

  // ---------------------------------------------------------------- world model

  static final class Project {
    final String id;
    final String slug;
    final Instant createdAt;
    final Map<String, Environment> environments = new LinkedHashMap<>();

    Project(String id, String slug, Instant createdAt) {
      this.id = id;
      this.slug = slug;
      this.createdAt = createdAt;
    }
  }

  static final class Environment {
    final String id;
    final String slug;
    final Folder root;

    Environment(String id, String slug, Folder root) {
      this.id = id;
      this.slug = slug;
      this.root = root;
    }
  }

  static final class Folder {
    final String id;
    final String name;
    final Folder parent;
    final String envId;
    final Instant createdAt;
    final Map<String, Folder> children = new LinkedHashMap<>();
    final Map<String, StoredSecret> secrets = new LinkedHashMap<>();

    Folder(String id, String name, Folder parent, String envId, Instant createdAt) {
      this.id = id;
      this.name = name;
      this.parent = parent;
      this.envId = envId;
      this.createdAt = createdAt;
    }

    String path() {
      if (parent == null) {
        return "/";
      }
      String up = parent.path();
      return (up.equals("/") ? "" : up) + "/" + name;
    }
  }

  static final class StoredSecret {
    final String id;
    final String key;
    final String type;
    final Instant createdAt;
    final List<SecretVersion> versions = new ArrayList<>();
    String comment;
    boolean skipMultilineEncoding;

    StoredSecret(String id, String key, String type, Instant createdAt, String comment) {
      this.id = id;
      this.key = key;
      this.type = type;
      this.createdAt = createdAt;
      this.comment = comment;
    }

    SecretVersion latest() {
      return versions.get(versions.size() - 1);
    }
  }

  record SecretVersion(int version, String value, Instant updatedAt) {}

  record UniversalIdentity(
      String identityId, String clientId, String clientSecret, Duration ttl, Duration maxTtl) {}

  record KubernetesIdentity(String identityId, String jwt, Duration ttl, Duration maxTtl) {}

  static final class Token {
    final String value;
    final String identityId;
    final Instant createdAt;
    final Duration ttl;
    final Duration maxTtl;
    Instant lastRenewedAt;
    boolean revoked;

    Token(String value, String identityId, Instant createdAt, Duration ttl, Duration maxTtl) {
      this.value = value;
      this.identityId = identityId;
      this.createdAt = createdAt;
      this.ttl = ttl;
      this.maxTtl = maxTtl;
    }

    Instant expiresAt() {
      return (lastRenewedAt == null ? createdAt : lastRenewedAt).plus(ttl);
    }

    Instant maxExpiresAt() {
      return maxTtl.isZero() ? Instant.MAX : createdAt.plus(maxTtl);
    }
  }

  static final class Window {
    Instant start;
    int count;
  }

  // ---------------------------------------------------------------- seeding

  synchronized void addProject(String id, String slug) {
    if (projects.containsKey(id)) {
      throw new IllegalArgumentException("project " + id + " exists");
    }
    projects.put(id, new Project(id, slug, clock.instant()));
  }

  synchronized void addEnvironment(String projectId, String slug, String envId, String rootId) {
    Project p = requireProject(projectId);
    String env = envId == null ? ids.get() : envId;
    Folder root =
        new Folder(rootId == null ? ids.get() : rootId, "root", null, env, clock.instant());
    p.environments.put(slug, new Environment(env, slug, root));
  }

  synchronized void addUniversal(String clientId, String secret, Duration ttl, Duration maxTtl) {
    universal.put(clientId, new UniversalIdentity(ids.get(), clientId, secret, ttl, maxTtl));
  }

  synchronized void addKubernetes(String identityId, String jwt, Duration ttl, Duration maxTtl) {
    kubernetes.put(identityId, new KubernetesIdentity(identityId, jwt, ttl, maxTtl));
  }

  synchronized void putSecret(
      String projectId, String env, String path, String key, String value, String id, Instant at) {
    Folder folder = mkdirs(requireEnv(projectId, env), path);
    StoredSecret existing = folder.secrets.get(key);
    if (existing == null) {
      StoredSecret s = new StoredSecret(id == null ? ids.get() : id, key, "shared", at, "");
      s.versions.add(new SecretVersion(1, value, at));
      folder.secrets.put(key, s);
    } else {
      existing.versions.add(new SecretVersion(existing.latest().version() + 1, value, at));
    }
  }

  synchronized Optional<String> secretValue(String projectId, String env, String path, String key) {
    Environment e = requireEnv(projectId, env);
    Folder f = find(e.root, path);
    StoredSecret s = f == null ? null : f.secrets.get(key);
    return s == null ? Optional.empty() : Optional.of(s.latest().value());
  }

  synchronized List<Integer> secretVersions(String projectId, String env, String path, String key) {
    Folder f = find(requireEnv(projectId, env).root, path);
    StoredSecret s = f == null ? null : f.secrets.get(key);
    return s == null ? List.of() : s.versions.stream().map(SecretVersion::version).toList();
  }

  synchronized void mkdirs(String projectId, String env, String path) {
    mkdirs(requireEnv(projectId, env), path);
  }

  synchronized void revokeAllTokens() {
    tokens.values().forEach(t -> t.revoked = true);
  }

  synchronized void expireAllTokens() {
    Instant past = clock.instant().minus(Duration.ofDays(3650));
    tokens.values().forEach(t -> t.lastRenewedAt = past.minus(t.ttl));
  }

  synchronized void revoke(String tokenValue) {
    Token t = tokens.get(tokenValue);
    if (t != null) {
      t.revoked = true;
    }
  }

  synchronized int liveTokens() {
    Instant now = clock.instant();
    return (int) tokens.values().stream().filter(t -> problem(t, now) == null).count();
  }

  private Project requireProject(String id) {
    Project p = projects.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no project " + id);
    }
    return p;
  }

  private Environment requireEnv(String projectId, String env) {
    Environment e = requireProject(projectId).environments.get(env);
    if (e == null) {
      throw new IllegalArgumentException("no environment " + env + " in project " + projectId);
    }
    return e;
  }

  private Folder mkdirs(Environment env, String path) {
    Folder f = env.root;
    for (String segment : segments(path)) {
      Folder parent = f;
      f =
          parent.children.computeIfAbsent(
              segment, n -> new Folder(ids.get(), n, parent, env.id, clock.instant()));
    }
    return f;
  }

  private static Folder find(Folder root, String path) {
    Folder f = root;
    for (String segment : segments(path)) {
      f = f.children.get(segment);
      if (f == null) {
        return null;
      }
    }
    return f;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- dispatch

  /** Thrown inside a handler to answer with a refusal. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Reply reply;

    Refused(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }

  synchronized Reply handle(Request r) {
    try {
      return dispatch(r);
    } catch (Refused e) {
      return e.reply;
    }
  }

  private Reply dispatch(Request r) {
    switch (r.route()) {
      case UNIVERSAL_AUTH_LOGIN:
        return universalLogin(r);
      case KUBERNETES_AUTH_LOGIN:
        return kubernetesLogin(r);
      case TOKEN_RENEW:
        return renew(r);
      case TOKEN_REVOKE:
        return revoke(r);
      case UNKNOWN:
        return unknownRoute(r);
      default:
        break;
    }
    Token token = authenticate(r.authorization());
    Map<String, String> limitHeaders = new LinkedHashMap<>();
    if (r.route().isSecretRead() && readLimit > 0) {
      Reply limited = countRead(token, limitHeaders);
      if (limited != null) {
        return limited;
      }
    }
    if (r.body().length > bodyLimit) {
      return tooLarge();
    }
    Reply reply;
    switch (r.route()) {
      case LIST_SECRETS:
        reply = list(r);
        break;
      case GET_SECRET:
        reply = get(r);
        break;
      case CREATE_SECRET:
        reply = create(r);
        break;
      case UPDATE_SECRET:
        reply = update(r);
        break;
      case DELETE_SECRET:
        reply = delete(r);
        break;
      case CREATE_FOLDER:
        reply = createFolder(r);
        break;
      case GET_PROJECT:
        reply = project(r);
        break;
      default:
        throw new IllegalStateException("unrouted " + r.route());
    }
    if (limitHeaders.isEmpty()) {
      return reply;
    }
    limitHeaders.putAll(reply.headers());
    return new Reply(reply.status(), limitHeaders, reply.body());
  }

  /** Classifies a request by method and decoded path segments. */
  static Route route(String method, List<String> s) {
    String path = "/" + String.join("/", s);
    switch (path) {
      case "/api/v1/auth/universal-auth/login":
        return method.equals("POST") ? Route.UNIVERSAL_AUTH_LOGIN : Route.UNKNOWN;
      case "/api/v1/auth/kubernetes-auth/login":
        return method.equals("POST") ? Route.KUBERNETES_AUTH_LOGIN : Route.UNKNOWN;
      case "/api/v1/auth/token/renew":
        return method.equals("POST") ? Route.TOKEN_RENEW : Route.UNKNOWN;
      case "/api/v1/auth/token/revoke":
        return method.equals("POST") ? Route.TOKEN_REVOKE : Route.UNKNOWN;
      case "/api/v3/secrets/raw":
        return method.equals("GET") ? Route.LIST_SECRETS : Route.UNKNOWN;
      case "/api/v1/folders":
        return method.equals("POST") ? Route.CREATE_FOLDER : Route.UNKNOWN;
      default:
        break;
    }
    if (s.size() == 5 && path.startsWith("/api/v3/secrets/raw/") && !s.get(4).isEmpty()) {
      switch (method) {
        case "GET":
          return Route.GET_SECRET;
        case "POST":
          return Route.CREATE_SECRET;
        case "PATCH":
          return Route.UPDATE_SECRET;
        case "DELETE":
          return Route.DELETE_SECRET;
        default:
          return Route.UNKNOWN;
      }
    }
    if (s.size() == 4 && path.startsWith("/api/v2/workspace/") && method.equals("GET")) {
      return Route.GET_PROJECT;
    }
    return Route.UNKNOWN;
  }

  // ---------------------------------------------------------------- auth

  private Reply universalLogin(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String clientId = zod.string(body, "clientId");
    String clientSecret = zod.string(body, "clientSecret");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    UniversalIdentity id = universal.get(clientId);
    if (id == null || !id.clientSecret().equals(clientSecret)) {
      return error(401, "Invalid credentials", "UnauthorizedError");
    }
    return issue(id.identityId(), id.ttl(), id.maxTtl());
  }

  private Reply kubernetesLogin(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String identityId = zod.string(body, "identityId");
    String jwt = zod.string(body, "jwt");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    KubernetesIdentity id = kubernetes.get(identityId.trim());
    if (id == null) {
      return error(404, "Kubernetes auth method not found for identity", "NotFound");
    }
    if (!id.jwt().equals(jwt.trim())) {
      return error(401, "Access denied: Kubernetes token review failed", "UnauthorizedError");
    }
    return issue(id.identityId(), id.ttl(), id.maxTtl());
  }

  private Reply issue(String identityId, Duration ttl, Duration maxTtl) {
    Token t = new Token(tokenValues.get(), identityId, clock.instant(), ttl, maxTtl);
    tokens.put(t.value, t);
    return tokenReply(t);
  }

  private Reply tokenReply(Token t) {
    ObjectNode out = NODES.objectNode();
    out.put("accessToken", t.value);
    out.put("expiresIn", t.ttl.getSeconds());
    out.put("accessTokenMaxTTL", t.maxTtl.getSeconds());
    out.put("tokenType", "Bearer");
    return ok(out);
  }

  private Reply renew(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String value = zod.string(body, "accessToken");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Token t = tokens.get(value);
    if (t == null) {
      return error(403, "invalid token", "TokenError");
    }
    if (t.revoked) {
      return error(401, "You are not authorized to access this resource", "UnauthorizedError");
    }
    Instant now = clock.instant();
    if (now.isAfter(t.expiresAt())) {
      return error(
          401, "Failed to renew MI access token due to TTL expiration", "UnauthorizedError");
    }
    if (now.isAfter(t.maxExpiresAt())) {
      tokens.remove(t.value);
      return error(
          401, "Failed to renew MI access token due to Max TTL expiration", "UnauthorizedError");
    }
    if (now.plus(t.ttl).isAfter(t.maxExpiresAt())) {
      tokens.remove(t.value);
      return error(
          401, "Failed to renew MI access token past its Max TTL expiration", "UnauthorizedError");
    }
    t.lastRenewedAt = now;
    return tokenReply(t);
  }

  private Reply revoke(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String value = zod.string(body, "accessToken");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Token t = tokens.get(value);
    if (t == null) {
      return error(403, "invalid token", "TokenError");
    }
    if (t.revoked) {
      return error(401, "You are not authorized to access this resource", "UnauthorizedError");
    }
    t.revoked = true;
    ObjectNode out = NODES.objectNode();
    out.put("message", "Successfully revoked access token");
    return ok(out);
  }

  /** The token behind an {@code Authorization} header; refuses a missing or bad one. */
  private Token authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refused(error(401, "Token missing", "UnauthorizedError"));
    }
    Token t = tokens.get(header.substring(7).trim());
    if (t == null) {
      throw new Refused(error(403, "invalid token", "TokenError"));
    }
    String problem = problem(t, clock.instant());
    if (problem != null) {
      throw new Refused(error(401, problem, "UnauthorizedError"));
    }
    return t;
  }

  private static String problem(Token t, Instant now) {
    if (t.revoked) {
      return "No identity access token found";
    }
    if (now.isAfter(t.expiresAt())) {
      return "Failed to authenticate MI access token due to TTL expiration";
    }
    if (now.isAfter(t.maxExpiresAt())) {
      return "Failed to authenticate MI access token due to Max TTL expiration";
    }
    return null;
  }

  private Reply countRead(Token token, Map<String, String> headers) {
    Instant now = clock.instant();
    Window w = windows.computeIfAbsent(token.identityId, k -> new Window());
    if (w.start == null || !now.isBefore(w.start.plus(readWindow))) {
      w.start = now;
      w.count = 0;
    }
    w.count++;
    long resetMillis = Duration.between(now, w.start.plus(readWindow)).toMillis();
    String reset = Long.toString((resetMillis + 999) / 1000);
    headers.put("x-ratelimit-limit", Integer.toString(readLimit));
    headers.put("x-ratelimit-remaining", Integer.toString(Math.max(0, readLimit - w.count)));
    headers.put("x-ratelimit-reset", reset);
    if (w.count <= readLimit) {
      return null;
    }
    Map<String, String> limited = new LinkedHashMap<>(headers);
    limited.put("retry-after", reset);
    return new Reply(
        500, limited, write(errorBody(500, "Something went wrong", "InternalServerError")));
  }

  // ---------------------------------------------------------------- secrets

  private Reply list(Request r) {
    Map<String, String> q = r.query();
    Project project = null;
    String workspaceId = trimmed(q.get("workspaceId"));
    String slug = trimmed(q.get("workspaceSlug"));
    if (workspaceId == null && slug != null) {
      project =
          projects.values().stream().filter(p -> p.slug.equals(slug)).findFirst().orElse(null);
      if (project == null) {
        return error(400, "No project found with slug " + slug, "BadRequest");
      }
      workspaceId = project.id;
    }
    String environment = trimmed(q.get("environment"));
    if (workspaceId == null || environment == null) {
      return error(400, "Missing workspace id or environment", "BadRequest");
    }
    project = projects.get(workspaceId);
    if (project == null) {
      return projectNotFound(workspaceId);
    }
    boolean recursive = "true".equals(q.get("recursive"));
    Environment env = project.environments.get(environment);
    Folder folder = env == null ? null : find(env.root, secretPath(q.get("secretPath")));
    ObjectNode out = NODES.objectNode();
    ArrayNode secrets = out.putArray("secrets");
    if (folder == null) {
      return ok(out);
    }
    List<Map.Entry<Folder, StoredSecret>> found = new ArrayList<>();
    collect(folder, recursive, found);
    found.sort(Comparator.comparing(e -> e.getValue().id));
    for (Map.Entry<Folder, StoredSecret> e : found) {
      StoredSecret s = e.getValue();
      ObjectNode item = secretJson(project, env, s, s.latest());
      item.put("secretPath", e.getKey().path());
      item.putArray("tags");
      secrets.add(item);
    }
    return ok(out);
  }

  private static void collect(
      Folder folder, boolean recursive, List<Map.Entry<Folder, StoredSecret>> out) {
    folder.secrets.values().forEach(s -> out.add(Map.entry(folder, s)));
    if (recursive) {
      folder.children.values().forEach(c -> collect(c, true, out));
    }
  }

  private Reply get(Request r) {
    Map<String, String> q = r.query();
    Zod zod = new Zod();
    Long version = zod.coercedNumber("version", q.get("version"));
    zod.oneOfQuery("type", q.get("type"), SECRET_TYPES, "shared");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    String workspaceId = trimmed(q.get("workspaceId"));
    String environment = trimmed(q.get("environment"));
    if (workspaceId == null || environment == null) {
      return error(400, "Missing workspace id or environment", "BadRequest");
    }
    Located at = locate(workspaceId, environment, secretPath(q.get("secretPath")));
    if (at.refusal != null) {
      return at.refusal;
    }
    StoredSecret s = at.folder.secrets.get(name(r));
    if (s == null) {
      return error(404, "Secret not found", "NotFound");
    }
    SecretVersion v = s.latest();
    if (version != null && !versionQueryIgnored) {
      v = s.versions.stream().filter(x -> x.version() == version).findFirst().orElse(null);
      if (v == null) {
        return error(404, "Secret version not found", "NotFound");
      }
    }
    ObjectNode item = secretJson(at.project, at.env, s, v);
    item.putArray("tags");
    return ok(wrap("secret", item));
  }

  private Reply create(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String workspaceId = zod.string(body, "workspaceId");
    String environment = zod.string(body, "environment");
    String path = zod.string(body, "secretPath", "/");
    String value = zod.string(body, "secretValue");
    String comment = zod.string(body, "secretComment", "");
    Boolean skip = zod.bool(body, "skipMultilineEncoding");
    String type = zod.oneOf(body, "type", SECRET_TYPES, "shared");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Located at = locate(workspaceId.trim(), environment.trim(), secretPath(path));
    if (at.refusal != null) {
      return at.refusal;
    }
    if (type.equals("personal")) {
      return error(400, "Must be user to create personal secret", "BadRequest");
    }
    String key = name(r);
    if (at.folder.secrets.containsKey(key)) {
      return error(400, "Secret already exist", "BadRequest");
    }
    Instant now = clock.instant();
    StoredSecret s = new StoredSecret(ids.get(), key, type, now, comment.trim());
    s.skipMultilineEncoding = skip != null && skip;
    s.versions.add(new SecretVersion(1, transformValue(value), now));
    at.folder.secrets.put(key, s);
    return ok(wrap("secret", secretJson(at.project, at.env, s, s.latest())));
  }

  private Reply update(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String workspaceId = zod.string(body, "workspaceId");
    String environment = zod.string(body, "environment");
    String value = zod.string(body, "secretValue");
    String path = zod.string(body, "secretPath", "/");
    Boolean skip = zod.bool(body, "skipMultilineEncoding");
    zod.oneOf(body, "type", SECRET_TYPES, "shared");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Located at = locate(workspaceId.trim(), environment.trim(), secretPath(path));
    if (at.refusal != null) {
      return at.refusal;
    }
    StoredSecret s = at.folder.secrets.get(name(r));
    if (s == null) {
      return error(404, "Secret not found", "NotFound");
    }
    if (skip != null) {
      s.skipMultilineEncoding = skip;
    }
    s.versions.add(
        new SecretVersion(s.latest().version() + 1, transformValue(value), clock.instant()));
    return ok(wrap("secret", secretJson(at.project, at.env, s, s.latest())));
  }

  private Reply delete(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String workspaceId = zod.string(body, "workspaceId");
    String environment = zod.string(body, "environment");
    String path = zod.string(body, "secretPath", "/");
    zod.oneOf(body, "type", SECRET_TYPES, "shared");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Located at = locate(workspaceId.trim(), environment.trim(), secretPath(path));
    if (at.refusal != null) {
      return at.refusal;
    }
    StoredSecret s = at.folder.secrets.remove(name(r));
    if (s == null) {
      return error(404, "Secret not found", "NotFound");
    }
    return ok(wrap("secret", secretJson(at.project, at.env, s, s.latest())));
  }

  private Reply createFolder(Request r) {
    JsonNode body = parse(r.body());
    Zod zod = new Zod();
    String workspaceId = zod.string(body, "workspaceId");
    String environment = zod.string(body, "environment");
    String name = zod.string(body, "name");
    String path = zod.string(body, "path", "/");
    if (!zod.ok()) {
      return validationFailure(zod);
    }
    Project project = projects.get(workspaceId.trim());
    if (project == null) {
      return projectNotFound(workspaceId.trim());
    }
    Environment env = project.environments.get(environment.trim());
    if (env == null) {
      return error(
          404,
          "Environment with slug '"
              + environment.trim()
              + "' in project with ID '"
              + project.id
              + "' not found",
          "NotFound");
    }
    String parentPath = secretPath(path);
    Folder parent = find(env.root, parentPath);
    if (parent == null) {
      return error(
          404,
          "Folder with path '"
              + parentPath
              + "' in environment with slug '"
              + env.slug
              + "' not found",
          "NotFound");
    }
    Folder folder =
        parent.children.computeIfAbsent(
            name.trim(), n -> new Folder(ids.get(), n, parent, env.id, clock.instant()));
    ObjectNode f = NODES.objectNode();
    f.put("id", folder.id);
    f.put("name", folder.name);
    f.put("version", 1);
    f.put("createdAt", ISO.format(folder.createdAt));
    f.put("updatedAt", ISO.format(folder.createdAt));
    f.put("envId", folder.envId);
    f.put("parentId", parent.id);
    f.put("isReserved", false);
    return ok(wrap("folder", f));
  }

  private Reply project(Request r) {
    String slug = r.segments().get(3);
    Project p =
        projects.values().stream().filter(x -> x.slug.equals(slug)).findFirst().orElse(null);
    if (p == null) {
      return error(404, "Project with slug '" + slug + "' not found", "NotFound");
    }
    ObjectNode out = NODES.objectNode();
    out.put("id", p.id);
    out.put("name", p.slug);
    out.put("slug", p.slug);
    out.put("createdAt", ISO.format(p.createdAt));
    out.put("updatedAt", ISO.format(p.createdAt));
    out.put("_id", p.id);
    ArrayNode envs = out.putArray("environments");
    for (Environment e : p.environments.values()) {
      ObjectNode en = envs.addObject();
      en.put("name", e.slug);
      en.put("slug", e.slug);
      en.put("id", e.id);
    }
    return ok(out);
  }

  private Reply unknownRoute(Request r) {
    ObjectNode out = NODES.objectNode();
    out.put("message", "Route " + r.method() + ":" + r.target() + " not found");
    out.put("error", "Not Found");
    out.put("statusCode", 404);
    return new Reply(404, Map.of(), write(out));
  }

  private record Located(Project project, Environment env, Folder folder, Reply refusal) {}

  private Located locate(String workspaceId, String environment, String path) {
    Project project = projects.get(workspaceId);
    if (project == null) {
      return new Located(null, null, null, projectNotFound(workspaceId));
    }
    Environment env = project.environments.get(environment);
    Folder folder = env == null ? null : find(env.root, path);
    if (folder == null) {
      return new Located(
          project,
          env,
          null,
          error(
              404,
              "Folder not found for the given environment slug & secret path",
              "Create secret"));
    }
    return new Located(project, env, folder, null);
  }

  private Reply projectNotFound(String workspaceId) {
    return error(404, "Project with ID '" + workspaceId + "' not found", "NotFound");
  }

  private static String name(Request r) {
    return r.segments().get(4).trim();
  }

  private static ObjectNode secretJson(
      Project project, Environment env, StoredSecret s, SecretVersion v) {
    ObjectNode out = NODES.objectNode();
    out.put("id", s.id);
    out.put("_id", s.id);
    out.put("workspace", project.id);
    out.put("environment", env.slug);
    out.put("version", v.version());
    out.put("type", s.type);
    out.put("secretKey", s.key);
    out.put("secretValue", v.value());
    out.put("secretComment", s.comment);
    out.putNull("secretReminderNote");
    out.putNull("secretReminderRepeatDays");
    out.put("skipMultilineEncoding", s.skipMultilineEncoding);
    out.putNull("metadata");
    out.put("createdAt", ISO.format(s.createdAt));
    out.put("updatedAt", ISO.format(v.updatedAt()));
    return out;
  }

  /**
   * What the server stores for a submitted value: trimmed of surrounding white space, except that a
   * value ending in a line feed keeps exactly one.
   */
  static String transformValue(String value) {
    return value.endsWith("\n") ? trimJs(value) + "\n" : trimJs(value);
  }

  /** JavaScript's {@code String.prototype.trim}. */
  static String trimJs(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isJsSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isJsSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  static boolean isJsSpace(char c) {
    return c == '\t'
        || c == '\n'
        || c == 0x0B
        || c == '\f'
        || c == '\r'
        || c == ' '
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000
        || c == 0xFEFF;
  }

  /** The {@code secretPath} after the server's trim and trailing-slash removal. */
  private static String secretPath(String raw) {
    String p = raw == null ? "/" : raw.trim();
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? "/" : p;
  }

  private static String trimmed(String v) {
    if (v == null) {
      return null;
    }
    String t = v.trim();
    return t.isEmpty() ? null : t;
  }

  // ---------------------------------------------------------------- replies

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return NODES.objectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      ObjectNode out = NODES.objectNode();
      out.put("statusCode", 400);
      out.put("code", "FST_ERR_CTP_INVALID_JSON_BODY");
      out.put("error", "Bad Request");
      out.put("message", "Body is not valid JSON but content-type is set to 'application/json'");
      throw new Refused(new Reply(400, Map.of(), write(out)));
    }
  }

  private static ObjectNode wrap(String key, ObjectNode inner) {
    ObjectNode out = NODES.objectNode();
    out.set(key, inner);
    return out;
  }

  private static Reply ok(ObjectNode body) {
    return new Reply(200, Map.of(), write(body));
  }

  static Reply error(int status, String message, String error) {
    return new Reply(status, Map.of(), write(errorBody(status, message, error)));
  }

  static ObjectNode errorBody(int status, String message, String error) {
    ObjectNode out = NODES.objectNode();
    out.put("statusCode", status);
    out.put("message", message);
    out.put("error", error);
    return out;
  }

  private static Reply validationFailure(Zod zod) {
    ObjectNode out = NODES.objectNode();
    out.put("statusCode", 401);
    out.set("message", zod.issues());
    out.put("error", "ValidationFailure");
    return new Reply(401, Map.of(), write(out));
  }

  private static Reply tooLarge() {
    ObjectNode out = NODES.objectNode();
    out.put("statusCode", 413);
    out.put("code", "FST_ERR_CTP_BODY_TOO_LARGE");
    out.put("error", "Payload Too Large");
    out.put("message", "Request body is too large");
    return new Reply(413, Map.of(), write(out));
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Query parameters by name (first value wins), for handlers. */
  static Map<String, String> firstValues(Map<String, List<String>> all) {
    Map<String, String> out = new TreeMap<>();
    all.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }
}
