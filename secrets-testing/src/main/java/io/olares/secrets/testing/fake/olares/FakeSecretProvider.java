package io.olares.secrets.testing.fake.olares;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Olares' {@code secret.infisical} provider as a fake: ops {@code CreateSecret}, {@code
 * RetrieveSecret}, {@code ListSecret}, {@code UpdateSecret}, {@code DeleteSecret}, each with the
 * required query parameter {@code workspace}; body {@code {"name", "value", "env"}}; {@code env}
 * one of test, dev, staging, prod (default prod). Workspace {@code w} of user {@code u} is the
 * project {@code w-u}, created by the first {@code CreateSecret}; other ops on a missing workspace
 * fail.
 *
 * <p>Replies are always HTTP 200: {@code {"code": 0, "message": "", "data": ...}} (retrieve: {@code
 * {"name","value","env"}}; list: an array of those), an empty body for create, and {@code {"code":
 * 400|500, "message": ...}} for errors (400 where the workspace or a required field is missing).
 *
 * <p>Thread-safe.
 */
public final class FakeSecretProvider implements FakeProvider {
  /** The environments the provider accepts. */
  public static final List<String> ENVIRONMENTS = List.of("test", "dev", "staging", "prod");

  /** project → env → name → value. */
  private final Map<String, Map<String, Map<String, String>>> projects = new TreeMap<>();

  /** Creates an empty provider. */
  public FakeSecretProvider() {}

  /** Stores a secret directly, creating the project {@code workspace-user} where needed. */
  public synchronized FakeSecretProvider put(
      String user, String workspace, String env, String name, String value) {
    project(workspace + "-" + user, true)
        .computeIfAbsent(env, e -> new LinkedHashMap<>())
        .put(name, value);
    return this;
  }

  /** A stored value, read directly. */
  public synchronized Optional<String> get(String user, String workspace, String env, String name) {
    Map<String, Map<String, String>> p = projects.get(workspace + "-" + user);
    if (p == null || !p.containsKey(env)) {
      return Optional.empty();
    }
    return Optional.ofNullable(p.get(env).get(name));
  }

  /** True where the project {@code workspace-user} exists. */
  public synchronized boolean hasWorkspace(String user, String workspace) {
    return projects.containsKey(workspace + "-" + user);
  }

  @Override
  public synchronized FakeReply handle(String op, JsonNode body, String user) {
    int q = op.indexOf('?');
    String name = q < 0 ? op : op.substring(0, q);
    Map<String, String> query = parseQuery(q < 0 ? "" : op.substring(q + 1));
    String workspace = query.get("workspace");
    if (workspace == null || workspace.isEmpty()) {
      return FakeReply.error(400, "workspace is required");
    }
    String env = body.path("env").asText("");
    if (env.isEmpty()) {
      env = "prod";
    }
    if (!ENVIRONMENTS.contains(env)) {
      return FakeReply.error(400, "env must be one of test, dev, staging, prod");
    }
    String project = workspace + "-" + user;
    String secretName = body.path("name").asText("");
    switch (name) {
      case "CreateSecret":
        return create(project, env, secretName, body);
      case "RetrieveSecret":
        return retrieve(project, workspace, env, secretName);
      case "ListSecret":
        return list(project, workspace, env);
      case "UpdateSecret":
        return update(project, workspace, env, secretName, body);
      case "DeleteSecret":
        return delete(project, workspace, env, secretName);
      default:
        return FakeReply.error(400, "unknown op " + name);
    }
  }

  private FakeReply create(String project, String env, String name, JsonNode body) {
    if (name.isEmpty()) {
      return FakeReply.error(400, "name is required");
    }
    if (!body.hasNonNull("value")) {
      return FakeReply.error(400, "value is required");
    }
    Map<String, String> secrets =
        project(project, true).computeIfAbsent(env, e -> new LinkedHashMap<>());
    if (secrets.containsKey(name)) {
      return FakeReply.error(500, "secret " + name + " already exists");
    }
    secrets.put(name, body.get("value").asText());
    return FakeReply.empty();
  }

  private FakeReply retrieve(String project, String workspace, String env, String name) {
    if (name.isEmpty()) {
      return FakeReply.error(400, "name is required");
    }
    Map<String, Map<String, String>> p = project(project, false);
    if (p == null) {
      return FakeReply.error(500, "workspace " + workspace + " not found");
    }
    String value = p.getOrDefault(env, Map.of()).get(name);
    if (value == null) {
      return FakeReply.error(500, "secret " + name + " not found");
    }
    return FakeReply.envelope(0, "", secretNode(name, value, env));
  }

  private FakeReply list(String project, String workspace, String env) {
    Map<String, Map<String, String>> p = project(project, false);
    if (p == null) {
      return FakeReply.error(500, "workspace " + workspace + " not found");
    }
    ArrayNode array = FakeReply.JSON.createArrayNode();
    p.getOrDefault(env, Map.of()).forEach((k, v) -> array.add(secretNode(k, v, env)));
    return FakeReply.envelope(0, "", array);
  }

  private FakeReply update(
      String project, String workspace, String env, String name, JsonNode body) {
    if (name.isEmpty()) {
      return FakeReply.error(400, "name is required");
    }
    if (!body.hasNonNull("value")) {
      return FakeReply.error(400, "value is required");
    }
    Map<String, Map<String, String>> p = project(project, false);
    if (p == null) {
      return FakeReply.error(500, "workspace " + workspace + " not found");
    }
    Map<String, String> secrets = p.get(env);
    if (secrets == null || !secrets.containsKey(name)) {
      return FakeReply.error(500, "secret " + name + " not found");
    }
    secrets.put(name, body.get("value").asText());
    return FakeReply.envelope(0, "", null);
  }

  private FakeReply delete(String project, String workspace, String env, String name) {
    if (name.isEmpty()) {
      return FakeReply.error(400, "name is required");
    }
    Map<String, Map<String, String>> p = project(project, false);
    if (p == null) {
      return FakeReply.error(500, "workspace " + workspace + " not found");
    }
    Map<String, String> secrets = p.get(env);
    if (secrets == null || secrets.remove(name) == null) {
      return FakeReply.error(500, "secret " + name + " not found");
    }
    return FakeReply.envelope(0, "", null);
  }

  private Map<String, Map<String, String>> project(String project, boolean create) {
    return create ? projects.computeIfAbsent(project, p -> new TreeMap<>()) : projects.get(project);
  }

  private static ObjectNode secretNode(String name, String value, String env) {
    ObjectNode node = FakeReply.JSON.createObjectNode();
    node.put("name", name);
    node.put("value", value);
    node.put("env", env);
    return node;
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
