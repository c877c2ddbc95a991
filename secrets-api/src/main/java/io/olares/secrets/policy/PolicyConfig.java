package io.olares.secrets.policy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data {@link DefaultPolicy} decides from: grants, per-app allow and deny lists, and who the
 * calling app and its user are. Immutable and thread-safe; every pattern is validated when the
 * configuration is built.
 *
 * <p>In YAML (the {@code policy} section of the configuration):
 *
 * <pre>{@code
 * app: myapp                 # the configured app: grants without a grantee are for it
 * user: alice                # the app's user: its own namespace is myapp-alice
 * grants:
 *   - { ref: "infisical://shared/prod/**", ops: [read, list] }
 *   - { dataType: secret, group: secret.infisical, version: v1, ops: ["RetrieveSecret?workspace=a"] }
 *   - { appName: settings, providerName: integration }
 *   - { grantee: other, ref: "infisical://shared/other/**", ops: [read] }
 * apps:
 *   myapp: { allow: ["k8s://shared-db/**"], deny: ["infisical://shared/prod/root-*"] }
 * }</pre>
 *
 * <p>Allow and deny lists hold {@link RefPattern reference patterns}. An allow list never lifts the
 * approval required for vault items nor opens another app's application credentials; a deny list
 * always wins.
 */
public final class PolicyConfig {
  private static final PolicyConfig EMPTY = new PolicyConfig(null, null, List.of(), Map.of());

  private final String app;
  private final String user;
  private final List<Grant> grants;
  private final Map<String, AppRules> apps;

  private PolicyConfig(String app, String user, List<Grant> grants, Map<String, AppRules> apps) {
    this.app = app;
    this.user = user;
    this.grants = List.copyOf(grants);
    this.apps = Map.copyOf(apps);
  }

  /**
   * The allow and deny lists of one app.
   *
   * @param allow patterns of references the app may reach besides what its grants give
   * @param deny patterns of references the app may never reach
   */
  public record AppRules(List<RefPattern> allow, List<RefPattern> deny) {
    /** No lists. */
    public static final AppRules NONE = new AppRules(List.of(), List.of());

    /** Validates. */
    public AppRules {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
    }
  }

  /** A configuration with no grants and no lists: only the built-in rules apply. */
  public static PolicyConfig empty() {
    return EMPTY;
  }

  /** A builder starting empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.app = app;
    b.user = user;
    b.grants.addAll(grants);
    apps.forEach(
        (name, rules) -> {
          b.allow.put(name, new ArrayList<>(rules.allow()));
          b.deny.put(name, new ArrayList<>(rules.deny()));
        });
    return b;
  }

  /**
   * Parses a YAML-shaped map (strings, lists, maps, integers), as in the class description.
   *
   * @throws ConfigurationException naming the key path of the first problem
   */
  public static PolicyConfig fromMap(Map<String, ?> map) {
    return fromMap(map, "");
  }

  /**
   * Parses a YAML-shaped map whose key path in the enclosing configuration is {@code path} (e.g.
   * {@code policy}); error messages start with that path.
   *
   * @throws ConfigurationException naming the key path of the first problem
   */
  public static PolicyConfig fromMap(Map<String, ?> map, String path) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(path, "path");
    Node root = new Node(path, map);
    root.onlyKeys("app", "user", "grants", "apps");
    Builder b = builder();
    b.app = root.optionalName("app");
    b.user = root.optionalName("user");
    List<Node> grantNodes = root.list("grants");
    for (Node g : grantNodes) {
      b.grants.add(parseGrant(g));
    }
    Node apps = root.optionalMap("apps");
    if (apps != null) {
      for (String name : apps.keys()) {
        Node rules = apps.map(name);
        checkName(rules.path, name);
        rules.onlyKeys("allow", "deny");
        b.allow.put(name, patterns(rules, "allow"));
        b.deny.put(name, patterns(rules, "deny"));
      }
    }
    return b.build();
  }

  private static List<RefPattern> patterns(Node rules, String key) {
    List<RefPattern> out = new ArrayList<>();
    for (Node p : rules.list(key)) {
      out.add(p.pattern());
    }
    return out;
  }

  private static Grant parseGrant(Node g) {
    String grantee = g.optionalName("grantee");
    if (g.has("ref")) {
      g.onlyKeys("grantee", "ref", "ops");
      RefPattern pattern = g.child("ref").pattern();
      List<Node> ops = g.requiredList("ops");
      Set<Operation> operations = EnumSet.noneOf(Operation.class);
      for (Node op : ops) {
        operations.add(op.operation());
      }
      return new Grant.RefGrant(grantee, pattern.pattern(), operations);
    }
    if (g.has("dataType")) {
      g.onlyKeys(
          "grantee", "dataType", "group", "version", "ops", "appName", "svc", "port", "namespace");
      List<String> ops = new ArrayList<>();
      for (Node op : g.requiredList("ops")) {
        ops.add(op.string());
      }
      return new Grant.SysDataGrant(
          grantee,
          g.requiredString("dataType"),
          g.requiredString("group"),
          g.requiredString("version"),
          ops,
          g.optionalString("appName"),
          g.optionalString("svc"),
          g.optionalPort("port"),
          g.optionalString("namespace"));
    }
    if (g.has("providerName") || g.has("appName")) {
      g.onlyKeys("grantee", "appName", "providerName", "namespace");
      return new Grant.ProviderGrant(
          grantee,
          g.requiredString("appName"),
          g.requiredString("providerName"),
          g.optionalString("namespace"));
    }
    throw g.bad(
        "a grant needs 'ref' (reference grant), 'dataType' (sysData grant) or 'appName' and"
            + " 'providerName' (provider grant)");
  }

  /** The configured app: grants without a grantee are for it; empty where not set. */
  public Optional<String> app() {
    return Optional.ofNullable(app);
  }

  /** The app's user, which names the app's own namespace; empty where not set. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** Every grant, in order. */
  public List<Grant> grants() {
    return grants;
  }

  /** The allow and deny lists, by app. */
  public Map<String, AppRules> apps() {
    return apps;
  }

  /** The lists of {@code appName}; {@link AppRules#NONE} where it has none. */
  public AppRules rulesFor(String appName) {
    return apps.getOrDefault(appName, AppRules.NONE);
  }

  /**
   * This configuration with {@code more} grants appended, for example those an app's manifest
   * gives.
   *
   * @throws ConfigurationException where a reference grant's pattern is invalid
   */
  public PolicyConfig withGrants(Collection<? extends Grant> more) {
    return toBuilder().grants(more).build();
  }

  /** This configuration with another configured app. */
  public PolicyConfig withApp(String newApp) {
    return toBuilder().app(newApp).build();
  }

  /** This configuration with another user. */
  public PolicyConfig withUser(String newUser) {
    return toBuilder().user(newUser).build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PolicyConfig)) {
      return false;
    }
    PolicyConfig c = (PolicyConfig) o;
    return Objects.equals(app, c.app)
        && Objects.equals(user, c.user)
        && grants.equals(c.grants)
        && apps.equals(c.apps);
  }

  @Override
  public int hashCode() {
    return Objects.hash(app, user, grants, apps);
  }

  @Override
  public String toString() {
    return "PolicyConfig[app="
        + app
        + ", user="
        + user
        + ", grants="
        + grants.size()
        + ", apps="
        + new TreeSet<>(apps.keySet())
        + "]";
  }

  private static void checkName(String path, String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigurationException(path + ": an app or user name must not be blank");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new ConfigurationException(
            path + ": an app or user name must not contain whitespace or control characters");
      }
    }
  }

  /** Builds a {@link PolicyConfig}; not thread-safe. */
  public static final class Builder {
    private String app;
    private String user;
    private final List<Grant> grants = new ArrayList<>();
    private final Map<String, List<RefPattern>> allow = new LinkedHashMap<>();
    private final Map<String, List<RefPattern>> deny = new LinkedHashMap<>();

    private Builder() {}

    /** The configured app; grants without a grantee are for it. Null unsets it. */
    public Builder app(String appName) {
      if (appName != null) {
        checkName("app", appName);
      }
      this.app = appName;
      return this;
    }

    /** The app's user; null unsets it. */
    public Builder user(String userName) {
      if (userName != null) {
        checkName("user", userName);
      }
      this.user = userName;
      return this;
    }

    /** Adds a grant. */
    public Builder grant(Grant grant) {
      grants.add(Objects.requireNonNull(grant, "grant"));
      return this;
    }

    /** Adds grants. */
    public Builder grants(Collection<? extends Grant> more) {
      for (Grant g : more) {
        grant(g);
      }
      return this;
    }

    /**
     * Adds patterns to {@code appName}'s allow list.
     *
     * @throws ConfigurationException where a pattern is invalid
     */
    public Builder allow(String appName, String... patterns) {
      add(allow, "allow", appName, patterns);
      return this;
    }

    /**
     * Adds patterns to {@code appName}'s deny list.
     *
     * @throws ConfigurationException where a pattern is invalid
     */
    public Builder deny(String appName, String... patterns) {
      add(deny, "deny", appName, patterns);
      return this;
    }

    private static void add(
        Map<String, List<RefPattern>> lists, String what, String appName, String... patterns) {
      checkName("apps", appName);
      List<RefPattern> list = lists.computeIfAbsent(appName, k -> new ArrayList<>());
      for (int i = 0; i < patterns.length; i++) {
        String path = "apps." + appName + "." + what + "[" + list.size() + "]";
        try {
          list.add(RefPattern.compile(patterns[i]));
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(path + ": " + e.getMessage());
        }
      }
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException where a reference grant's pattern is invalid
     */
    public PolicyConfig build() {
      for (int i = 0; i < grants.size(); i++) {
        if (grants.get(i) instanceof Grant.RefGrant) {
          Grant.RefGrant g = (Grant.RefGrant) grants.get(i);
          try {
            RefPattern.compile(g.pattern());
          } catch (IllegalArgumentException e) {
            throw new ConfigurationException("grants[" + i + "].ref: " + e.getMessage());
          }
          if (g.operations().isEmpty()) {
            throw new ConfigurationException("grants[" + i + "].ops: no operation is granted");
          }
        }
      }
      Map<String, AppRules> apps = new LinkedHashMap<>();
      for (String name : union(allow.keySet(), deny.keySet())) {
        apps.put(
            name,
            new AppRules(allow.getOrDefault(name, List.of()), deny.getOrDefault(name, List.of())));
      }
      return new PolicyConfig(app, user, grants, apps);
    }

    private static List<String> union(Set<String> a, Set<String> b) {
      List<String> out = new ArrayList<>(a);
      for (String s : b) {
        if (!a.contains(s)) {
          out.add(s);
        }
      }
      return out;
    }
  }

  /** A value in the parsed map, with its key path for messages. */
  private static final class Node {
    private final String path;
    private final Object value;

    Node(String path, Object value) {
      this.path = path;
      this.value = value;
    }

    ConfigurationException bad(String why) {
      return new ConfigurationException((path.isEmpty() ? "policy" : path) + ": " + why);
    }

    private String childPath(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    private Map<?, ?> asMap() {
      if (!(value instanceof Map)) {
        throw bad("expected a map, found " + kind(value));
      }
      return (Map<?, ?>) value;
    }

    boolean has(String key) {
      return asMap().containsKey(key);
    }

    List<String> keys() {
      List<String> keys = new ArrayList<>();
      for (Object k : asMap().keySet()) {
        if (!(k instanceof String)) {
          throw bad("keys must be strings, found " + kind(k));
        }
        keys.add((String) k);
      }
      return keys;
    }

    void onlyKeys(String... allowed) {
      List<String> known = List.of(allowed);
      for (String k : keys()) {
        if (!known.contains(k)) {
          throw new Node(childPath(k), null)
              .bad("unknown key; expected one of " + String.join(", ", known));
        }
      }
    }

    Node child(String key) {
      return new Node(childPath(key), asMap().get(key));
    }

    Node map(String key) {
      Node n = child(key);
      n.asMap();
      return n;
    }

    Node optionalMap(String key) {
      Node n = child(key);
      return n.value == null ? null : map(key);
    }

    List<Node> list(String key) {
      Node n = child(key);
      if (n.value == null) {
        return List.of();
      }
      if (!(n.value instanceof List)) {
        throw n.bad("expected a list, found " + kind(n.value));
      }
      List<?> items = (List<?>) n.value;
      List<Node> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        out.add(new Node(n.path + "[" + i + "]", items.get(i)));
      }
      return out;
    }

    List<Node> requiredList(String key) {
      List<Node> items = list(key);
      if (items.isEmpty()) {
        throw child(key).bad("is required and must list at least one operation");
      }
      return items;
    }

    String string() {
      if (value == null) {
        throw bad("is required");
      }
      if (!(value instanceof String)) {
        throw bad("expected a string, found " + kind(value));
      }
      String s = (String) value;
      if (s.isBlank()) {
        throw bad("must not be blank");
      }
      return s;
    }

    String requiredString(String key) {
      return child(key).string();
    }

    String optionalString(String key) {
      Node n = child(key);
      return n.value == null ? null : n.string();
    }

    String optionalName(String key) {
      String s = optionalString(key);
      if (s != null) {
        checkName(childPath(key), s);
      }
      return s;
    }

    Integer optionalPort(String key) {
      Node n = child(key);
      if (n.value == null) {
        return null;
      }
      if (!(n.value instanceof Integer)) {
        throw n.bad("expected an integer port, found " + kind(n.value));
      }
      int port = (Integer) n.value;
      if (port < 1 || port > 65535) {
        throw n.bad("port " + port + " is outside 1..65535");
      }
      return port;
    }

    RefPattern pattern() {
      try {
        return RefPattern.compile(string());
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
    }

    Operation operation() {
      String s = string();
      try {
        return Operation.fromWireName(s);
      } catch (IllegalArgumentException e) {
        throw bad("unknown operation '" + s + "'; expected one of read, write, delete, list, sign");
      }
    }

    private static String kind(Object v) {
      if (v == null) {
        return "nothing";
      }
      if (v instanceof Map) {
        return "a map";
      }
      if (v instanceof List) {
        return "a list";
      }
      if (v instanceof String) {
        return "a string";
      }
      if (v instanceof Number) {
        return "a number";
      }
      if (v instanceof Boolean) {
        return "a boolean";
      }
      return "a " + v.getClass().getSimpleName();
    }
  }
}
