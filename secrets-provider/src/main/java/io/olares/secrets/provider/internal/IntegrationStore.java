package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.provider.Idempotency;
import io.olares.secrets.provider.IntegrationReconnectRequiredException;
import io.olares.secrets.provider.IntegrationStoreProvider;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.provider.ProviderRetry;
import io.olares.secrets.provider.ServiceAccountAuth;
import io.olares.secrets.provider.TerminusNonceAuth;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code olares-integration} store; see {@link IntegrationStoreProvider}. Every call it makes
 * (account retrieve and list, current and legacy) only reads, so each is a {@link Idempotency#READ}
 * whatever its HTTP method. Thread-safe.
 */
public final class IntegrationStore implements SecretStore {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrationStore.class);

  /** How early a token counts as expired, in seconds. */
  public static final int EXPIRY_MARGIN_SECONDS = 15;

  /** The account types. */
  public static final List<String> TYPES =
      List.of("space", "google", "dropbox", "awss3", "tencent");

  /** The rawData fields a reference may name. */
  public static final Set<String> FIELDS =
      Set.of(
          "accessToken",
          "refreshToken",
          "expiresAt",
          "createAt",
          "available",
          "endpoint",
          "bucket",
          "userId",
          "scope",
          "idToken",
          "clientId",
          "cloudUrl");

  /** The field read where a reference names none. */
  public static final String DEFAULT_FIELD = "accessToken";

  /** The current API's default host. */
  public static final String DEFAULT_ENDPOINT =
      "http://integration-provider-svc.os-protected:28080";

  /** The permission {@link #describe} names. */
  public static final ProviderPermission PERMISSION =
      new ProviderPermission(null, null, null, null, "integration", "account");

  private static final Duration MARGIN = Duration.ofSeconds(EXPIRY_MARGIN_SECONDS);
  private static final String LEGACY_PREFIX = "/legacy/v1alpha1/service.settings/v1";

  private final String name;
  private final boolean legacy;
  private final String user;
  private final Clock clock;
  private final ProviderClient client;
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean closed;

  /** The options this store reads; {@code type} names the store's type in a configuration. */
  public static final Set<String> OPTIONS =
      Set.of(
          "type",
          "api",
          "endpoint",
          "tokenFile",
          "randomKey",
          "user",
          "timeout",
          ProviderRetry.RETRIES_OPTION,
          ProviderRetry.MAX_WAIT_OPTION);

  private IntegrationStore(
      String name, boolean legacy, String user, Clock clock, ProviderClient client) {
    this.name = name;
    this.legacy = legacy;
    this.user = user;
    this.clock = clock;
    this.client = client;
  }

  /** Opens a store from its configuration. */
  public static IntegrationStore open(StoreConfig config, StoreContext context) {
    return open(config, context, ProviderRetry.Sleeper.SYSTEM);
  }

  /**
   * Opens a store from its configuration, waiting between repeated calls with {@code sleeper} (for
   * tests, which record the waits instead of sleeping).
   */
  public static IntegrationStore open(
      StoreConfig config, StoreContext context, ProviderRetry.Sleeper sleeper) {
    String api = config.string("api").orElse("current");
    if (!api.equals("current") && !api.equals("legacy")) {
      throw config.bad("api", "must be 'current' or 'legacy'");
    }
    boolean legacy = api.equals("legacy");
    String user =
        config
            .string("user")
            .or(context::userOpt)
            .or(() -> context.env("OLARES_USER"))
            .orElse(null);
    warnUnknownOptions(config);
    Duration timeout = DurationOption.timeout(config).orElse(ProviderClient.DEFAULT_HTTP_TIMEOUT);
    OkHttpClient http =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .followRedirects(false)
            .build();
    ProviderRetry retry = ProviderRetry.fromConfig(config);
    ProviderClient.Builder client =
        ProviderClient.builder()
            .name(config.name())
            .httpClient(http)
            .clock(context.clock())
            .retry(retry)
            .sleeper(sleeper);
    if (legacy) {
      String server =
          config
              .string("endpoint")
              .or(() -> context.env("OS_SYSTEM_SERVER"))
              .or(() -> Optional.ofNullable(user).map(u -> "system-server.user-system-" + u))
              .orElseThrow(
                  () ->
                      config.bad(
                          "endpoint",
                          "is required for the legacy API where neither OS_SYSTEM_SERVER nor the"
                              + " user is known"));
      String key =
          config
              .string("randomKey")
              .or(() -> context.env(TerminusNonceAuth.ENV_RANDOM_KEY))
              .orElseThrow(() -> config.bad("randomKey", "is required (or set APP_RANDOM_KEY)"));
      try (SecretValue k = SecretValue.ofString(key)) {
        client.auth(TerminusNonceAuth.of(k, server));
      } catch (ConfigurationException e) {
        throw config.bad("randomKey", "is invalid: " + e.getMessage());
      }
    } else {
      if (user == null) {
        throw config.bad(
            "user", "is required: the integration provider serves one user's accounts");
      }
      Path tokenFile =
          config.string("tokenFile").map(Path::of).orElse(ServiceAccountAuth.DEFAULT_TOKEN_FILE);
      client.auth(ServiceAccountAuth.fromFile(tokenFile));
      client.endpoint(config.string("endpoint").orElse(DEFAULT_ENDPOINT));
    }
    ProviderClient built = client.build();
    LOG.info("integration store '{}' opened ({} API, {})", config.name(), api, built.endpoint());
    return new IntegrationStore(config.name(), legacy, user, context.clock(), built);
  }

  private static void warnUnknownOptions(StoreConfig config) {
    for (String key : config.options().keySet()) {
      if (!OPTIONS.contains(key)) {
        LOG.warn(
            "store '{}' ({}): option '{}' is not known and is ignored; known options: {}",
            config.name(),
            IntegrationStoreProvider.TYPE,
            key,
            new java.util.TreeSet<>(OPTIONS));
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return IntegrationStoreProvider.TYPE;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.READ, Capability.LIST);
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    checkType(ref);
    return new ResourceInfo(Classification.INTEGRATION_CREDENTIAL, null, PERMISSION);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    String type = checkType(ref);
    String account = accountName(ref);
    String field = ref.field().orElse(DEFAULT_FIELD);
    if (!FIELDS.contains(field)) {
      throw new InvalidReferenceException(
          "field '"
              + field
              + "' of "
              + ref.base()
              + " is not an integration field; use one of "
              + String.join(", ", new java.util.TreeSet<>(FIELDS)));
    }
    Optional<IntegrationAccount> found = retrieve(type, account);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    IntegrationAccount a = usable(found.get());
    if (a.expired(clock.instant(), MARGIN)) {
      LOG.debug(
          "integration token {}/{} expires within {} s; fetching again",
          type,
          account,
          EXPIRY_MARGIN_SECONDS);
      found = retrieve(type, account);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      a = usable(found.get());
      if (a.expired(clock.instant(), MARGIN)) {
        if (type.equals("space")) {
          throw new IntegrationReconnectRequiredException(
              type,
              account,
              "its Olares Space token expired at "
                  + a.expiresAt()
                  + ", and apps cannot refresh Olares Space tokens");
        }
        throw new StoreUnavailableException(
            "integration token "
                + type
                + "/"
                + account
                + " expired at "
                + a.expiresAt()
                + " and Settings has not refreshed it yet (it refreshes tokens every 10 minutes);"
                + " try again later");
      }
    }
    String value = a.fields().get(field);
    if (value == null || value.isEmpty()) {
      throw new SecretNotFoundException(
          "integration account " + type + "/" + account + " has no '" + field + "'");
    }
    Instant expires = a.expiresAt() == null ? null : a.expiresAt().minus(MARGIN);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", type);
    SecretMetadata metadata = new SecretMetadata(null, a.createAt(), null, expires, labels);
    return Optional.of(
        new Secret(
            ref, Classification.INTEGRATION_CREDENTIAL, SecretValue.ofString(value), metadata));
  }

  private static IntegrationAccount usable(IntegrationAccount a) {
    if (!a.available()) {
      throw new IntegrationReconnectRequiredException(
          a.type(), a.name(), "Settings could not refresh its token and marked it unavailable");
    }
    return a;
  }

  private Optional<IntegrationAccount> retrieve(String type, String account) {
    try {
      if (legacy) {
        ObjectNode body = json.createObjectNode();
        body.put("name", "integration-account:" + type + ":" + account);
        JsonNode data =
            client.request("POST", LEGACY_PREFIX + "/api/account/retrieve", body, Idempotency.READ);
        return data.isObject()
            ? Optional.of(IntegrationAccount.legacy(data, type, account))
            : Optional.empty();
      }
      ObjectNode body = json.createObjectNode();
      body.put("name", account);
      body.put("type", type);
      body.put("user", user);
      JsonNode data = client.request("POST", "/api/account/retrieve", body, Idempotency.READ);
      return data.isObject()
          ? Optional.of(IntegrationAccount.current(data, type, account))
          : Optional.empty();
    } catch (SecretNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    throw readOnly();
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException(
        "olares-integration stores are read-only: accounts are connected in Olares Settings");
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    String type = checkType(prefix);
    String only = prefix.path().isEmpty() ? null : accountName(prefix);
    JsonNode data;
    if (legacy) {
      data = client.request("GET", LEGACY_PREFIX + "/api/account/all", null);
    } else {
      ObjectNode body = json.createObjectNode();
      body.put("user", user);
      data = client.request("POST", "/api/account/list", body, Idempotency.READ);
    }
    List<SecretInfo> out = new ArrayList<>();
    for (JsonNode n : data) {
      String t = n.path("type").asText("");
      String accountName = n.path("name").asText("");
      String keyPrefix = "integration-account:" + t + ":";
      if (accountName.startsWith(keyPrefix)) {
        accountName = accountName.substring(keyPrefix.length());
      }
      if (!t.equals(type) || accountName.isEmpty() || (only != null && !only.equals(accountName))) {
        continue;
      }
      Instant expiresAt =
          IntegrationAccount.instant(n.has("expiresAt") ? n.get("expiresAt") : n.get("expires_at"));
      Instant createAt =
          IntegrationAccount.instant(n.has("createAt") ? n.get("createAt") : n.get("create_at"));
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("type", t);
      labels.put("available", String.valueOf(n.path("available").asBoolean(true)));
      SecretMetadata metadata =
          new SecretMetadata(
              null, createAt, null, expiresAt == null ? null : expiresAt.minus(MARGIN), labels);
      out.add(
          new SecretInfo(
              SecretRef.of(name, t, List.of(accountName), null, null),
              Classification.INTEGRATION_CREDENTIAL,
              metadata));
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }

  private String checkType(SecretRef ref) {
    if (closed) {
      throw new StoreUnavailableException("integration store '" + name + "' is closed");
    }
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference " + ref.base() + " names store '" + ref.store() + "', not '" + name + "'");
    }
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "integration credentials have no versions: drop ?version= from " + ref.base());
    }
    String type = ref.container();
    if (!TYPES.contains(type)) {
      throw new InvalidReferenceException(
          "integration type '"
              + type
              + "' in "
              + ref.base()
              + " is not one of "
              + String.join(", ", TYPES));
    }
    return type;
  }

  private static String accountName(SecretRef ref) {
    if (ref.path().size() != 1) {
      throw new InvalidReferenceException(
          ref.base() + " must name one account: <store>://<type>/<name>[#<field>]");
    }
    return ref.path().get(0);
  }

  @Override
  public String toString() {
    return "IntegrationStore["
        + name
        + ", "
        + (legacy ? "legacy" : "current")
        + " API, "
        + client.endpoint()
        + "]";
  }
}
