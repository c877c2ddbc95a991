package io.olares.secrets.testing.fake.olares;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.ByteString;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Olares' provider plumbing in one in-process HTTP server on 127.0.0.1, for tests and demos. It
 * speaks the documented protocols:
 *
 * <ul>
 *   <li><b>system-server, generation 1</b>: {@code POST /permission/v1alpha1/access} checks the app
 *       key, the timestamp (at most {@link #CLOCK_WINDOW} from this fake's clock, else {@code
 *       "request time expired"}), the bcrypt token over {@code key + timestamp + secret} ({@code
 *       $2a$}, {@code $2b$}, {@code $2y$}) and every requested op against the app's sysData grants
 *       (exactly, or by op name without query string), and issues a token living {@link
 *       #TOKEN_LIFETIME}. {@code POST /system-server/v1alpha1/<dataType>/<group>/<version>/<op>}
 *       needs {@code X-Access-Token} (HTTP 401 without a known, unexpired one), the op exactly in
 *       the token (else {@code {"code": 1, "message": "data access denied"}}), and wraps the
 *       provider's reply in {@code {"code": 0, "message": "success", "data": ...}}.
 *   <li><b>the legacy API</b>: {@code /legacy/v1alpha1/service.settings/v1/api/account/...} with a
 *       {@code Terminus-Nonce} derived from the app random key.
 *   <li><b>the generation-2 proxy</b>: {@code /provider/<name>/<path>} with {@code Authorization:
 *       Bearer <service-account token>}: 401 for a missing or unknown token, 403 where the token's
 *       app has no {@code permission.provider} grant for the provider, 400 {@code provider service
 *       not found} for an unknown provider. {@code /provider/secret} is the secret provider and
 *       {@code /provider/integration} the integration provider.
 *   <li><b>providers</b>: {@link FakeSecretProvider} ({@code secret/secret.infisical/v1}), {@link
 *       FakeIntegrationProvider}, and any {@link FakeProvider} a test registers.
 * </ul>
 *
 * <p>Every reply carries a {@code Date} header from this fake's clock. Counters name what was
 * called ({@link #count(String)}); {@link #failNext} injects failures. Thread-safe.
 */
public final class FakeOlares implements AutoCloseable {
  /** How long an access token lives. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

  /** How far a request's timestamp may be from this fake's clock. */
  public static final Duration CLOCK_WINDOW = Duration.ofSeconds(10);

  /** The generation-2 provider app and name of the secret provider, as this fake names them. */
  public static final String SECRET_PROVIDER_APP = "infisical";

  /** The provider name of the secret provider, as this fake names it. */
  public static final String SECRET_PROVIDER_NAME = "secret";

  /** The provider app of the integration provider. */
  public static final String INTEGRATION_PROVIDER_APP = "integration";

  /** The provider name of the integration provider. */
  public static final String INTEGRATION_PROVIDER_NAME = "account";

  /** Counter of access-token requests. */
  public static final String ACCESS = "access";

  /** Counter of access-token requests answered with a token. */
  public static final String ACCESS_GRANTED = "access.granted";

  /** Counter of access-token requests refused. */
  public static final String ACCESS_REFUSED = "access.refused";

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final MockWebServer server = new MockWebServer();
  private final String user;
  private volatile Clock clock;
  private volatile byte[] randomKey;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, App> appsByKey = new ConcurrentHashMap<>();
  private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> serviceAccounts = new ConcurrentHashMap<>();
  private final Set<String> providerGrants = ConcurrentHashMap.newKeySet();
  private final Map<String, FakeProvider> sysDataProviders = new ConcurrentHashMap<>();
  private final Map<String, Gen2Provider> gen2Providers = new ConcurrentHashMap<>();
  private final FakeSecretProvider secrets = new FakeSecretProvider();
  private final FakeIntegrationProvider integrations = new FakeIntegrationProvider();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Deque<FakeReply>> failures = new ConcurrentHashMap<>();

  /** Every request line, in order; appending is O(1) (a copy-on-write list copied it all). */
  private final List<String> requestLines =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private record IssuedToken(
      String app,
      String dataType,
      String group,
      String version,
      List<String> ops,
      Instant expires) {}

  private record Gen2Provider(String providerApp, String providerName, FakeProvider handler) {}

  private FakeOlares(String user, Clock clock) {
    this.user = Objects.requireNonNull(user, "user");
    this.clock = Objects.requireNonNull(clock, "clock");
    sysDataProviders.put("secret/secret.infisical/v1", secrets);
    gen2Providers.put(
        "secret", new Gen2Provider(SECRET_PROVIDER_APP, SECRET_PROVIDER_NAME, secrets));
    gen2Providers.put(
        "integration",
        new Gen2Provider(
            INTEGRATION_PROVIDER_APP,
            INTEGRATION_PROVIDER_NAME,
            (op, body, u) -> integrations.handleCurrent(stripQuery(op), body)));
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return respond(request);
          }
        });
  }

  /** Starts a fake for user {@code alice} on the system clock. */
  public static FakeOlares start() {
    return start("alice", Clock.systemUTC());
  }

  /** Starts a fake for {@code user}, deciding times by {@code clock}. */
  public static FakeOlares start(String user, Clock clock) {
    FakeOlares fake = new FakeOlares(user, clock);
    try {
      fake.server.setServerSocketFactory(new io.olares.secrets.testing.NoDelayServerSockets());
      fake.server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Olares server", e);
    }
    return fake;
  }

  /** The Olares user this fake serves. */
  public String user() {
    return user;
  }

  /** system-server's base URL. */
  public HttpUrl systemServerUrl() {
    return server.url("/");
  }

  /** system-server as {@code host:port}, the form {@code OS_SYSTEM_SERVER} takes. */
  public String systemServerHost() {
    return server.getHostName() + ":" + server.getPort();
  }

  /** The generation-2 base URL of the secret provider. */
  public HttpUrl secretProviderUrl() {
    return server.url("/provider/secret");
  }

  /** The generation-2 base URL of the integration provider. */
  public HttpUrl integrationProviderUrl() {
    return server.url("/provider/integration");
  }

  /** The generation-2 base URL of a provider registered with {@link #gen2Provider}. */
  public HttpUrl providerUrl(String name) {
    return server.url("/provider/" + name);
  }

  /** The secret provider. */
  public FakeSecretProvider secrets() {
    return secrets;
  }

  /** The integration provider. */
  public FakeIntegrationProvider integrations() {
    return integrations;
  }

  /** This fake's clock. */
  public Clock clock() {
    return clock;
  }

  /** Replaces this fake's clock. */
  public FakeOlares clock(Clock newClock) {
    this.clock = Objects.requireNonNull(newClock, "clock");
    return this;
  }

  /** Registers an app with its key and secret, as Olares does at install. */
  public App registerApp(String name, String appKey, String appSecret) {
    App app = new App(name, appKey, appSecret);
    appsByKey.put(appKey, app);
    return app;
  }

  /** Binds a service-account token to an app (generation 2). */
  public FakeOlares serviceAccount(String token, String appName) {
    serviceAccounts.put(token, appName);
    return this;
  }

  /** Grants {@code appName} a generation-2 {@code permission.provider} entry. */
  public FakeOlares grantProvider(String appName, String providerApp, String providerName) {
    providerGrants.add(appName + "|" + providerApp + "|" + providerName);
    return this;
  }

  /** Sets the app random key the legacy API checks nonces with (16, 24 or 32 bytes). */
  public FakeOlares randomKey(String key) {
    this.randomKey = key.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Registers a generation-1 provider reached as {@code <dataType>/<group>/<version>}. */
  public FakeOlares provider(String dataType, String group, String version, FakeProvider p) {
    sysDataProviders.put(dataType + "/" + group + "/" + version, p);
    return this;
  }

  /** Registers a generation-2 provider under {@code /provider/<name>}. */
  public FakeOlares gen2Provider(
      String name, String providerApp, String providerName, FakeProvider p) {
    gen2Providers.put(name, new Gen2Provider(providerApp, providerName, p));
    return this;
  }

  /** Forgets every access token, as a system-server restart does. */
  public void restart() {
    tokens.clear();
  }

  /** How many unexpired access tokens the server holds. */
  public int liveTokens() {
    Instant now = clock.instant();
    return (int) tokens.values().stream().filter(t -> now.isBefore(t.expires())).count();
  }

  /**
   * Answers the next {@code times} requests of {@code route} with {@code reply} instead of serving
   * them. Routes: {@code access}, {@code call}, {@code legacy}, {@code proxy}.
   */
  public FakeOlares failNext(String route, int times, FakeReply reply) {
    Deque<FakeReply> q = failures.computeIfAbsent(route, r -> new ArrayDeque<>());
    synchronized (q) {
      for (int i = 0; i < times; i++) {
        q.add(reply);
      }
    }
    return this;
  }

  /**
   * How often {@code key} was counted. Keys: {@code access}, {@code access.granted}, {@code
   * access.refused}, {@code call <dataType>/<group>/<version>/<op>}, {@code call.401}, {@code
   * call.denied}, {@code legacy <op>}, {@code legacy.401}, {@code proxy <name>/<op>}, {@code
   * proxy.401}, {@code proxy.403}, {@code proxy.400}.
   */
  public int count(String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  /** Every counter, sorted by key. */
  public Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The request lines ({@code POST /path?query}) received, in order. */
  public List<String> requestLines() {
    synchronized (requestLines) {
      return List.copyOf(requestLines);
    }
  }

  /** Resets every counter and the recorded request lines. */
  public void resetCounts() {
    counts.clear();
    requestLines.clear();
  }

  @Override
  public void close() {
    server.close();
  }

  /** An app known to system-server: its key, secret and sysData grants. */
  public final class App {
    private final String name;
    private final String key;
    private final String secret;
    private final List<String[]> grants = new CopyOnWriteArrayList<>();

    private App(String name, String key, String secret) {
      this.name = name;
      this.key = key;
      this.secret = secret;
    }

    /** The app's name. */
    public String name() {
      return name;
    }

    /** Grants ops of one provider, as a {@code permission.sysData} entry does. */
    public App grantSysData(String dataType, String group, String version, String... ops) {
      for (String op : ops) {
        grants.add(new String[] {dataType, group, version, op});
      }
      return this;
    }

    /** Binds a service-account token to this app and returns the app. */
    public App serviceAccount(String token) {
      FakeOlares.this.serviceAccount(token, name);
      return this;
    }

    /** Grants this app a generation-2 provider. */
    public App grantProvider(String providerApp, String providerName) {
      FakeOlares.this.grantProvider(name, providerApp, providerName);
      return this;
    }

    private boolean covers(String dataType, String group, String version, String op) {
      int q = op.indexOf('?');
      String opName = q < 0 ? op : op.substring(0, q);
      for (String[] g : grants) {
        if (g[0].equals(dataType)
            && g[1].equals(group)
            && g[2].equals(version)
            && (g[3].equals(op) || g[3].equals(opName))) {
          return true;
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------

  private MockResponse respond(RecordedRequest request) {
    FakeReply reply;
    try {
      reply = route(request);
    } catch (RuntimeException e) {
      reply = FakeReply.text(500, "fake server failure: " + e.getClass().getSimpleName());
    }
    Headers.Builder headers = new Headers.Builder();
    headers.add("Date", HTTP_DATE.format(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
    if (reply.contentType() != null) {
      headers.add("Content-Type", reply.contentType());
    }
    return new MockResponse.Builder()
        .code(reply.status())
        .headers(headers.build())
        .body(reply.body())
        .build();
  }

  private FakeReply route(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    String path = url.encodedPath();
    String query = url.encodedQuery();
    requestLines.add(request.getMethod() + " " + path + (query == null ? "" : "?" + query));
    JsonNode body;
    try {
      ByteString raw = request.getBody();
      body =
          raw == null || raw.size() == 0
              ? FakeReply.JSON.createObjectNode()
              : FakeReply.JSON.readTree(raw.utf8());
    } catch (IOException e) {
      return FakeReply.text(400, "invalid JSON body");
    }
    if (path.equals("/permission/v1alpha1/access")) {
      increment(ACCESS);
      FakeReply injected = injected("access");
      return injected != null ? injected : access(body);
    }
    if (path.startsWith("/system-server/v1alpha1/")) {
      FakeReply injected = injected("call");
      return injected != null
          ? injected
          : call(request, path.substring("/system-server/v1alpha1/".length()), query, body);
    }
    if (path.startsWith("/legacy/v1alpha1/")) {
      FakeReply injected = injected("legacy");
      return injected != null
          ? injected
          : legacy(request, path.substring("/legacy/v1alpha1/".length()), body);
    }
    if (path.startsWith("/provider/")) {
      FakeReply injected = injected("proxy");
      return injected != null
          ? injected
          : proxy(request, path.substring("/provider/".length()), query, body);
    }
    return FakeReply.text(404, "404 page not found");
  }

  private FakeReply injected(String route) {
    Deque<FakeReply> q = failures.get(route);
    if (q == null) {
      return null;
    }
    synchronized (q) {
      return q.poll();
    }
  }

  private FakeReply access(JsonNode body) {
    String appKey = body.path("app_key").asText("");
    App app = appsByKey.get(appKey);
    if (app == null) {
      return refuse("app not found");
    }
    if (!body.path("timestamp").canConvertToLong()) {
      return refuse("invalid timestamp");
    }
    long timestamp = body.path("timestamp").asLong();
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - timestamp) > CLOCK_WINDOW.toSeconds()) {
      return refuse("request time expired");
    }
    String token = body.path("token").asText("");
    byte[] expected = (app.key + timestamp + app.secret).getBytes(StandardCharsets.UTF_8);
    boolean ok;
    try {
      ok = OpenBSDBCrypt.checkPassword(token, expected);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      return refuse("invalid token");
    }
    JsonNode perm = body.path("perm");
    String dataType = perm.path("dataType").asText("");
    String group = perm.path("group").asText("");
    String version = perm.path("version").asText("");
    List<String> ops = new ArrayList<>();
    perm.path("ops").forEach(op -> ops.add(op.asText()));
    if (ops.isEmpty()) {
      return refuse("permission required is not allowed");
    }
    for (String op : ops) {
      if (!app.covers(dataType, group, version, op)) {
        return refuse("permission required is not allowed");
      }
    }
    byte[] seed = new byte[16];
    byte[] salt = new byte[16];
    random.nextBytes(seed);
    random.nextBytes(salt);
    String accessToken =
        Base64.getEncoder()
            .encodeToString(
                OpenBSDBCrypt.generate("2a", seed, salt, 4).getBytes(StandardCharsets.US_ASCII));
    Instant expires = clock.instant().plus(TOKEN_LIFETIME);
    tokens.put(
        accessToken,
        new IssuedToken(app.name, dataType, group, version, List.copyOf(ops), expires));
    increment(ACCESS_GRANTED);
    ObjectNode data = FakeReply.JSON.createObjectNode();
    data.put("access_token", accessToken);
    data.put("expired_at", RFC_3339.format(expires.atOffset(ZoneOffset.UTC)));
    return FakeReply.envelope(0, "success", data);
  }

  private FakeReply refuse(String message) {
    increment(ACCESS_REFUSED);
    return FakeReply.error(1, message);
  }

  private FakeReply call(RecordedRequest request, String rest, String query, JsonNode body) {
    String[] parts = rest.split("/", 4);
    if (parts.length < 4 || parts[3].isEmpty()) {
      return FakeReply.text(404, "404 page not found");
    }
    String op = parts[3] + (query == null ? "" : "?" + query);
    String key = parts[0] + "/" + parts[1] + "/" + parts[2];
    increment("call " + key + "/" + op);
    String header = request.getHeaders().get("X-Access-Token");
    IssuedToken token = header == null ? null : tokens.get(header);
    if (token == null || !clock.instant().isBefore(token.expires())) {
      increment("call.401");
      return FakeReply.text(401, "Unauthorized");
    }
    if (!(token.dataType() + "/" + token.group() + "/" + token.version()).equals(key)
        || !token.ops().contains(op)) {
      increment("call.denied");
      return FakeReply.error(1, "data access denied");
    }
    FakeProvider provider = sysDataProviders.get(key);
    if (provider == null) {
      return FakeReply.error(1, "provider service not found");
    }
    return wrap(provider.handle(op, body, user));
  }

  /** system-server's wrapping of a provider reply. */
  private static FakeReply wrap(FakeReply reply) {
    if (reply.status() != 200) {
      return FakeReply.error(1, reply.body());
    }
    JsonNode data;
    if (reply.isEmpty()) {
      data = null;
    } else {
      try {
        data = FakeReply.JSON.readTree(reply.body());
      } catch (IOException e) {
        data = FakeReply.JSON.getNodeFactory().textNode(reply.body());
      }
    }
    ObjectNode node = FakeReply.JSON.createObjectNode();
    node.put("code", 0);
    node.put("message", "success");
    node.set("data", data);
    return FakeReply.json(node);
  }

  private FakeReply legacy(RecordedRequest request, String rest, JsonNode body) {
    if (!checkNonce(request.getHeaders().get("Terminus-Nonce"))) {
      increment("legacy.401");
      return FakeReply.text(401, "invalid Terminus-Nonce");
    }
    String prefix = "service.settings/v1/";
    if (!rest.startsWith(prefix)) {
      return FakeReply.error(1, "provider service not found");
    }
    String op = rest.substring(prefix.length());
    increment("legacy " + op);
    return integrations.handleLegacy(op, body, user);
  }

  private boolean checkNonce(String nonce) {
    byte[] key = randomKey;
    if (nonce == null || key == null || !nonce.startsWith("appservice:")) {
      return false;
    }
    try {
      byte[] sealed = Base64.getDecoder().decode(nonce.substring("appservice:".length()));
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new IvParameterSpec(Arrays.copyOf(key, 16)));
      long ts = Long.parseLong(new String(cipher.doFinal(sealed), StandardCharsets.US_ASCII));
      return Math.abs(clock.instant().getEpochSecond() - ts) <= CLOCK_WINDOW.toSeconds();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private FakeReply proxy(RecordedRequest request, String rest, String query, JsonNode body) {
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String op = (slash < 0 ? "" : rest.substring(slash + 1)) + (query == null ? "" : "?" + query);
    String auth = request.getHeaders().get("Authorization");
    String app =
        auth != null && auth.startsWith("Bearer ")
            ? serviceAccounts.get(auth.substring("Bearer ".length()))
            : null;
    if (app == null) {
      increment("proxy.401");
      return FakeReply.text(401, "Unauthorized");
    }
    Gen2Provider provider = gen2Providers.get(name);
    if (provider == null) {
      increment("proxy.400");
      return FakeReply.text(400, "provider service not found");
    }
    if (!providerGrants.contains(
        app + "|" + provider.providerApp() + "|" + provider.providerName())) {
      increment("proxy.403");
      return FakeReply.text(403, "Forbidden");
    }
    increment("proxy " + name + "/" + op);
    return provider.handler().handle(op, body, user);
  }

  private static String stripQuery(String op) {
    int q = op.indexOf('?');
    return q < 0 ? op : op.substring(0, q);
  }

  private void increment(String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }
}
