package io.olares.secrets.config;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.StoreConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration of a {@link io.olares.secrets.Secrets} instance, read from YAML or built in
 * code.
 *
 * <pre>{@code
 * app: myapp                         # the calling app's identity for policy and audit
 * user: alice                        # the Olares user the app runs for (optional)
 * home: ${user.home}/.olares-secrets # where stores keep local files by default (optional)
 * stores:
 *   personal: { type: vault, url: "jdbc:sqlite:${user.home}/.olares-secrets/personal.db" }
 *   infisical:
 *     type: infisical
 *     site: https://app.infisical.com
 *     auth: { universal: { clientId: "...", clientSecret: "${INFISICAL_CLIENT_SECRET}" } }
 * policy:                            # grants and allow/deny lists for the default policy
 *   grants: [ { ref: "infisical://shared/prod/**", ops: [read] } ]
 * approval: { trustedDids: [ "did:key:z6Mk..." ], deviceKey: "${user.home}/.olares-secrets/device.key" }
 * cache: { ttl: 5m, refreshAhead: 30s, staleIfError: 1h, negativeTtl: 5s, maxEntries: 10000 }
 * audit: { file: "${user.home}/.olares-secrets/audit.jsonl", fsync: batch }
 * }</pre>
 *
 * <p>String values may use {@code ${NAME}}: an environment variable, or else a Java system
 * property (so {@code ${user.home}} works); {@code ${NAME:-fallback}} gives a fallback; {@code $${}
 * is a literal {@code ${}. An unset name is a {@link ConfigurationException} naming it, the key and
 * the line. Secrets belong in such variables or in stores, never inline. {@code cache: false}
 * turns caching off. Every error names the key path (for example {@code cache.ttl}) and the line;
 * no error or {@link #toString()} ever shows a value.
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretsConfig {
  /** The environment variable naming the configuration file. */
  public static final String ENV_VAR = "OLARES_SECRETS_CONFIG";

  private static final Pattern STORE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9._-]{0,62}");

  private final String source;
  private final String app;
  private final String user;
  private final Path home;
  private final Map<String, StoreConfig> stores;
  private final Map<String, Object> policy;
  private final PolicyConfig policyConfig;
  private final ApprovalSettings approval;
  private final CacheOptions cache;
  private final AuditSettings audit;

  private SecretsConfig(Builder b) {
    this.source = b.source;
    this.app = b.app;
    this.user = b.user;
    this.home = b.home;
    this.stores = Collections.unmodifiableMap(new LinkedHashMap<>(b.stores));
    this.policy = b.policy == null ? null : frozen(b.policy);
    this.policyConfig = b.parsedPolicy != null ? b.parsedPolicy : parsePolicy(policy, null);
    this.approval = b.approval;
    this.cache = b.cache;
    this.audit = b.audit;
  }

  /** Reads {@code file}, expanding {@code ${NAME}} from the environment and system properties. */
  public static SecretsConfig load(Path file) {
    return load(file, systemVariables());
  }

  /**
   * Reads {@code file}, expanding {@code ${NAME}} with {@code variables} (null for unset).
   *
   * @throws ConfigurationException where the file is missing, unreadable or invalid
   */
  public static SecretsConfig load(Path file, Function<String, String> variables) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigurationException(
          "configuration file " + file + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigurationException("configuration file " + file + " is not UTF-8 text");
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    return parse(text, file.toString(), variables);
  }

  /** Parses YAML text; {@code source} names it in errors. Expands from the system. */
  public static SecretsConfig parse(String yaml, String source) {
    return parse(yaml, source, systemVariables());
  }

  /**
   * Parses YAML text; {@code source} names it in errors.
   *
   * @throws ConfigurationException naming the key path and line of the first problem
   */
  public static SecretsConfig parse(
      String yaml, String source, Function<String, String> variables) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(variables, "variables");
    YamlDocument doc = YamlDocument.parse(yaml, source, variables);
    return read(new Section(doc, "", doc.root()), source);
  }

  /**
   * Reads the file {@value #ENV_VAR} names.
   *
   * @throws ConfigurationException where the variable is unset or the file invalid
   */
  public static SecretsConfig fromEnvironment() {
    return fromEnvironment(systemVariables());
  }

  /** Reads the file {@value #ENV_VAR} names, looking variables up with {@code variables}. */
  public static SecretsConfig fromEnvironment(Function<String, String> variables) {
    String file = variables.apply(ENV_VAR);
    if (file == null || file.isBlank()) {
      throw new ConfigurationException(
          ENV_VAR + " is not set: it must name the olares-secrets configuration file");
    }
    return load(Path.of(file), variables);
  }

  /** Environment variables first, then Java system properties; null where neither is set. */
  public static Function<String, String> systemVariables() {
    return name -> {
      String v = System.getenv(name);
      return v != null ? v : System.getProperty(name);
    };
  }

  /** A builder for configuration in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.source = source;
    b.app = app;
    b.user = user;
    b.home = home;
    b.stores.putAll(stores);
    b.policy = policy;
    b.parsedPolicy = policyConfig;
    b.approval = approval;
    b.cache = cache;
    b.audit = audit;
    return b;
  }

  /** Where this configuration came from: a file name, or {@code <code>}. */
  public String source() {
    return source;
  }

  /** The calling app's name, if configured. */
  public Optional<String> app() {
    return Optional.ofNullable(app);
  }

  /** The Olares user, if configured. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The directory for stores' local files, if configured. */
  public Optional<Path> home() {
    return Optional.ofNullable(home);
  }

  /** The configured stores by instance name, in the order written. */
  public Map<String, StoreConfig> stores() {
    return stores;
  }

  /**
   * The {@code policy:} section as written (maps, lists, scalars); empty where it is absent. {@link
   * #policyConfig()} is the same, parsed.
   */
  public Optional<Map<String, Object>> policy() {
    return Optional.ofNullable(policy);
  }

  /**
   * The {@code policy:} section parsed for {@link io.olares.secrets.policy.DefaultPolicy}; {@link
   * PolicyConfig#empty()} where the section is absent. The facade fills in the app and user where
   * the section does not name them.
   */
  public PolicyConfig policyConfig() {
    return policyConfig;
  }

  /** The approval settings. */
  public ApprovalSettings approval() {
    return approval;
  }

  /** The cache options ({@link CacheOptions#DISABLED} where caching is off). */
  public CacheOptions cache() {
    return cache;
  }

  /** The audit settings. */
  public AuditSettings audit() {
    return audit;
  }

  /** Names the source, app and stores; never an option value. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SecretsConfig[").append(source);
    sb.append(", app=").append(app).append(", stores={");
    String sep = "";
    for (StoreConfig s : stores.values()) {
      sb.append(sep).append(s.name()).append(':').append(s.type());
      sep = ", ";
    }
    return sb.append("}, policy=")
        .append(policy == null ? "none" : "configured")
        .append(", cache=")
        .append(cache.enabled() ? "on" : "off")
        .append(", audit=")
        .append(audit.file() == null ? "log" : audit.file().toString())
        .append(']')
        .toString();
  }

  private static SecretsConfig read(Section top, String source) {
    top.onlyKeys("app", "user", "home", "stores", "policy", "approval", "cache", "audit");
    Builder b = builder();
    b.source = source;
    top.string("app").ifPresent(v -> b.app = checkName(top, "app", v));
    top.string("user").ifPresent(v -> b.user = checkName(top, "user", v));
    top.path("home").ifPresent(v -> b.home = v);
    top.section("stores").ifPresent(s -> readStores(s, b));
    if (top.map().containsKey("policy")) {
      b.policy = top.section("policy").map(s -> s.map()).orElse(null);
      if (b.policy != null) {
        b.parsedPolicy = parsePolicy(b.policy, top);
      }
    }
    top.section("approval").ifPresent(s -> b.approval = readApproval(s));
    if (top.map().containsKey("cache")) {
      b.cache = readCache(top);
    }
    top.section("audit").ifPresent(s -> b.audit = readAudit(s));
    return b.build();
  }

  /**
   * Parses the policy section; errors name the key path, and the line where the section was read
   * from a document.
   */
  private static PolicyConfig parsePolicy(Map<String, ?> section, Section top) {
    if (section == null) {
      return PolicyConfig.empty();
    }
    try {
      return PolicyConfig.fromMap(section, "policy");
    } catch (ConfigurationException e) {
      if (top == null) {
        throw new ConfigurationException("<code>: " + e.getMessage(), e);
      }
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      String path = colon > 0 ? message.substring(0, colon) : "policy";
      int line = top.lineOf(path);
      throw new ConfigurationException(
          top.source() + (line > 0 ? " line " + line : "") + ": " + message, e);
    }
  }

  private static String checkName(Section s, String key, String value) {
    if (value.chars().anyMatch(Character::isISOControl) || value.length() > 253) {
      throw s.error(key, "must be a name without control characters, at most 253 characters");
    }
    return value;
  }

  private static void readStores(Section stores, Builder b) {
    for (String name : stores.map().keySet()) {
      if (!STORE_NAME.matcher(name).matches()) {
        throw stores.error(
            name,
            "is not a valid store name: it must start with a letter and use only letters,"
                + " digits, '.', '_' or '-' (at most 63)");
      }
      Object raw = stores.map().get(name);
      if (raw == null || "".equals(raw)) {
        throw stores.error(name, "needs at least a type");
      }
      Section store = stores.section(name).orElseThrow();
      String type = store.string("type").orElseThrow(() -> store.error("type", "is required"));
      Map<String, Object> options = new LinkedHashMap<>(store.map());
      options.remove("type");
      options = frozen(options);
      b.stores.put(name, new StoreConfig(name, type, options));
    }
  }

  private static ApprovalSettings readApproval(Section s) {
    s.onlyKeys("trustedDids", "deviceKey", "name", "domain", "maxAge", "maxSkew");
    ApprovalSettings d = ApprovalSettings.DEFAULTS;
    java.util.List<String> dids = s.strings("trustedDids");
    for (int i = 0; i < dids.size(); i++) {
      if (!DidKey.isValid(dids.get(i))) {
        throw s.error("trustedDids[" + i + "]", "must be an Ed25519 did:key (did:key:z6Mk...)");
      }
    }
    try {
      return new ApprovalSettings(
          dids,
          s.path("deviceKey").orElse(null),
          s.string("name").orElse(null),
          s.string("domain").orElse(null),
          s.duration("maxAge").orElse(d.maxAge()),
          s.duration("maxSkew").orElse(d.maxSkew()));
    } catch (IllegalArgumentException e) {
      throw s.error(e.getMessage());
    }
  }

  private static CacheOptions readCache(Section top) {
    Object raw = top.map().get("cache");
    if (Boolean.FALSE.equals(raw)) {
      return CacheOptions.DISABLED;
    }
    if (Boolean.TRUE.equals(raw)) {
      return CacheOptions.DEFAULTS;
    }
    Section s =
        top.section("cache")
            .orElseThrow(() -> top.error("cache", "must be false, true or a mapping"));
    s.onlyKeys("enabled", "ttl", "refreshAhead", "staleIfError", "negativeTtl", "maxEntries");
    if (!s.bool("enabled").orElse(true)) {
      return CacheOptions.DISABLED;
    }
    CacheOptions d = CacheOptions.DEFAULTS;
    Duration ttl = s.duration("ttl").orElse(d.ttl());
    if (ttl.isZero()) {
      return CacheOptions.DISABLED;
    }
    // Unset, refreshAhead is a tenth of a short ttl (30 s for the default 5 m and longer).
    Duration ahead =
        ttl.dividedBy(10).compareTo(d.refreshAhead()) < 0 ? ttl.dividedBy(10) : d.refreshAhead();
    try {
      return new CacheOptions(
          ttl,
          s.duration("refreshAhead").orElse(ahead),
          s.duration("staleIfError").orElse(d.staleIfError()),
          s.duration("negativeTtl").orElse(d.negativeTtl()),
          s.integer("maxEntries").orElse(d.maxEntries()));
    } catch (IllegalArgumentException e) {
      throw s.error(e.getMessage().replace("cache ", "is invalid: "));
    }
  }

  private static AuditSettings readAudit(Section s) {
    s.onlyKeys("file", "fsync", "queue", "log", "tally");
    AuditSettings d = AuditSettings.DEFAULTS;
    Durability durability = d.durability();
    Optional<String> fsync = s.string("fsync");
    if (fsync.isPresent()) {
      switch (fsync.get().toLowerCase(Locale.ROOT)) {
        case "batch":
          durability = Durability.SYNC_ON_FLUSH;
          break;
        case "event":
          durability = Durability.SYNC_EACH_EVENT;
          break;
        default:
          throw s.error("fsync", "must be 'batch' or 'event'");
      }
    }
    int queue = s.integer("queue").orElse(d.queueCapacity());
    if (queue < 1) {
      throw s.error("queue", "must be at least 1");
    }
    Duration tally = s.duration("tally").orElse(d.tally());
    if (tally.isNegative()) {
      throw s.error("tally", "cannot be negative");
    }
    if (tally.compareTo(AuditSettings.MAX_TALLY) > 0) {
      throw s.error("tally", "must be at most 1d");
    }
    return new AuditSettings(
        s.path("file").orElse(null), durability, queue, s.bool("log").orElse(d.log()), tally);
  }

  /** A read-only deep copy of a YAML-shaped map (null values kept). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> frozen(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, frozenValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object frozenValue(Object v) {
    if (v instanceof Map) {
      return frozen((Map<String, ?>) v);
    }
    if (v instanceof java.util.List) {
      java.util.List<Object> copy = new java.util.ArrayList<>();
      for (Object item : (java.util.List<?>) v) {
        copy.add(frozenValue(item));
      }
      return Collections.unmodifiableList(copy);
    }
    return v;
  }

  /** Builds a configuration in code. Not thread-safe. */
  public static final class Builder {
    private String source = "<code>";
    private String app;
    private String user;
    private Path home;
    private final Map<String, StoreConfig> stores = new LinkedHashMap<>();
    private Map<String, Object> policy;
    private PolicyConfig parsedPolicy;
    private ApprovalSettings approval = ApprovalSettings.DEFAULTS;
    private CacheOptions cache = CacheOptions.DEFAULTS;
    private AuditSettings audit = AuditSettings.DEFAULTS;

    private Builder() {}

    /** The calling app's name. */
    public Builder app(String name) {
      this.app = Objects.requireNonNull(name, "app");
      return this;
    }

    /** The Olares user. */
    public Builder user(String name) {
      this.user = name;
      return this;
    }

    /** The directory for stores' local files. */
    public Builder home(Path dir) {
      this.home = dir;
      return this;
    }

    /** Adds (or replaces) a store by its instance name. */
    public Builder store(StoreConfig store) {
      Objects.requireNonNull(store, "store");
      if (!STORE_NAME.matcher(store.name()).matches()) {
        throw new ConfigurationException("'" + store.name() + "' is not a valid store name");
      }
      stores.put(store.name(), store);
      return this;
    }

    /** Adds (or replaces) a store. */
    public Builder store(String name, String type, Map<String, ?> options) {
      return store(new StoreConfig(name, type, options));
    }

    /** The {@code policy:} section as a YAML-shaped map; null for none. */
    public Builder policy(Map<String, ?> section) {
      this.policy = section == null ? null : frozen(section);
      this.parsedPolicy = null;
      return this;
    }

    /** The approval settings. */
    public Builder approval(ApprovalSettings settings) {
      this.approval = Objects.requireNonNull(settings, "approval");
      return this;
    }

    /** The cache options; {@link CacheOptions#DISABLED} turns caching off. */
    public Builder cache(CacheOptions options) {
      this.cache = Objects.requireNonNull(options, "cache");
      return this;
    }

    /** The audit settings. */
    public Builder audit(AuditSettings settings) {
      this.audit = Objects.requireNonNull(settings, "audit");
      return this;
    }

    /** The configuration. */
    public SecretsConfig build() {
      return new SecretsConfig(this);
    }
  }
}
