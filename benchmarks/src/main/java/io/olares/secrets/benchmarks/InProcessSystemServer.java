package io.olares.secrets.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.testing.fake.olares.FakeProvider;
import io.olares.secrets.testing.fake.olares.FakeReply;
import io.olares.secrets.testing.fake.olares.FakeSecretProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * system-server's generation-1 routes answered inside the client's own OkHttp call: an application
 * interceptor that never proceeds to the network, so no socket, thread hop or kernel is involved.
 * It answers as the documented protocol says and as {@code FakeOlares} does:
 *
 * <ul>
 *   <li>{@code POST /permission/v1alpha1/access} checks the app key ({@code "app not found"}), the
 *       timestamp (at most 10 s from this server's clock, else {@code "request time expired"}), the
 *       bcrypt token over {@code key + timestamp + secret} ({@code "invalid token"}) and each
 *       requested op against the app's grants, exactly or by op name without query string ({@code
 *       "permission required is not allowed"}); it issues a token that lives 5 minutes.
 *   <li>{@code POST /system-server/v1alpha1/<dataType>/<group>/<version>/<op>} answers HTTP 401
 *       without a known, unexpired {@code X-Access-Token}, {@code {"code": 1, "message": "data
 *       access denied"}} where the op is not exactly in the token, and otherwise wraps the
 *       provider's reply in {@code {"code": 0, "message": "success", "data": ...}}.
 * </ul>
 *
 * <p>The interceptor runs on the thread that makes the request, so the bcrypt check of a token
 * request runs on the client's token thread, after the client's own bcrypt: a renewal here costs
 * two cost-10 hashes on that thread, one more than against a remote server. The provider behind the
 * call route is a {@link FakeSecretProvider}; as nothing writes during a benchmark, its wrapped
 * answer to an op and body is kept after the first call (the token checks run on every call). Every
 * reply carries a {@code Date} header. Thread-safe.
 */
final class InProcessSystemServer implements Interceptor {
  /** How long an access token lives. */
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

  private static final Duration CLOCK_WINDOW = Duration.ofSeconds(10);
  private static final String ACCESS_PATH = "/permission/v1alpha1/access";
  private static final String CALL_PREFIX = "/system-server/v1alpha1/";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final MediaType TEXT_TYPE = MediaType.get("text/plain; charset=utf-8");
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private record Issued(String key, List<String> ops, Instant expires) {}

  private record DateHeader(long second, String text) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock;
  private final String user;
  private final String appKey;
  private final String appSecret;
  private final Set<String> grants = ConcurrentHashMap.newKeySet();
  private final Map<String, FakeProvider> providers = new ConcurrentHashMap<>();
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
  private final Map<String, FakeReply> answers = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger granted = new AtomicInteger();
  private volatile DateHeader date = new DateHeader(Long.MIN_VALUE, "");

  /**
   * A server for one app of {@code user}, on {@code clock}, with the secret provider {@code
   * secrets} at {@code secret/secret.infisical/v1}.
   */
  InProcessSystemServer(
      Clock clock, String user, String appKey, String appSecret, FakeSecretProvider secrets) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.user = Objects.requireNonNull(user, "user");
    this.appKey = Objects.requireNonNull(appKey, "appKey");
    this.appSecret = Objects.requireNonNull(appSecret, "appSecret");
    providers.put("secret/secret.infisical/v1", secrets);
  }

  /** Grants the app {@code op} of {@code dataType/group/version}. */
  InProcessSystemServer grant(String dataType, String group, String version, String op) {
    grants.add(dataType + "/" + group + "/" + version + "/" + op);
    return this;
  }

  /** Access tokens issued so far. */
  int tokensGranted() {
    return granted.get();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    String path = url.encodedPath();
    FakeReply reply;
    if (!request.method().equals("POST")) {
      reply = FakeReply.text(405, "method not allowed");
    } else if (path.equals(ACCESS_PATH)) {
      reply = access(json.readTree(text(request.body())));
    } else if (path.startsWith(CALL_PREFIX)) {
      reply = call(request, path.substring(CALL_PREFIX.length()), url.encodedQuery());
    } else {
      reply = FakeReply.text(404, "404 page not found");
    }
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(reply.status())
        .message(reply.status() == 200 ? "OK" : "Error")
        .header("Date", dateHeader())
        .body(
            ResponseBody.create(
                reply.body().getBytes(StandardCharsets.UTF_8),
                reply.contentType() == null
                    ? null
                    : reply.contentType().startsWith("application/json") ? JSON_TYPE : TEXT_TYPE))
        .build();
  }

  private FakeReply access(JsonNode body) {
    if (!appKey.equals(body.path("app_key").asText(""))) {
      return FakeReply.error(1, "app not found");
    }
    if (!body.path("timestamp").canConvertToLong()) {
      return FakeReply.error(1, "invalid timestamp");
    }
    long timestamp = body.path("timestamp").asLong();
    if (Math.abs(clock.instant().getEpochSecond() - timestamp) > CLOCK_WINDOW.toSeconds()) {
      return FakeReply.error(1, "request time expired");
    }
    byte[] expected = (appKey + timestamp + appSecret).getBytes(StandardCharsets.UTF_8);
    boolean ok;
    try {
      ok = OpenBSDBCrypt.checkPassword(body.path("token").asText(""), expected);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      return FakeReply.error(1, "invalid token");
    }
    JsonNode perm = body.path("perm");
    String key =
        perm.path("dataType").asText("")
            + "/"
            + perm.path("group").asText("")
            + "/"
            + perm.path("version").asText("");
    List<String> ops = new ArrayList<>();
    perm.path("ops").forEach(op -> ops.add(op.asText()));
    if (ops.isEmpty()) {
      return FakeReply.error(1, "permission required is not allowed");
    }
    for (String op : ops) {
      int q = op.indexOf('?');
      if (!grants.contains(key + "/" + op)
          && !(q >= 0 && grants.contains(key + "/" + op.substring(0, q)))) {
        return FakeReply.error(1, "permission required is not allowed");
      }
    }
    byte[] seed = new byte[16];
    byte[] salt = new byte[16];
    random.nextBytes(seed);
    random.nextBytes(salt);
    String token =
        Base64.getEncoder()
            .encodeToString(
                OpenBSDBCrypt.generate("2a", seed, salt, 4).getBytes(StandardCharsets.US_ASCII));
    Instant expires = clock.instant().plus(TOKEN_LIFETIME);
    tokens.put(token, new Issued(key, List.copyOf(ops), expires));
    granted.incrementAndGet();
    ObjectNode data = json.createObjectNode();
    data.put("access_token", token);
    data.put("expired_at", RFC_3339.format(expires.atOffset(ZoneOffset.UTC)));
    return FakeReply.envelope(0, "success", data);
  }

  private FakeReply call(Request request, String rest, String query) throws IOException {
    String[] parts = rest.split("/", 4);
    if (parts.length < 4 || parts[3].isEmpty()) {
      return FakeReply.text(404, "404 page not found");
    }
    String op = parts[3] + (query == null ? "" : "?" + query);
    String key = parts[0] + "/" + parts[1] + "/" + parts[2];
    String header = request.header("X-Access-Token");
    Issued token = header == null ? null : tokens.get(header);
    if (token == null || !clock.instant().isBefore(token.expires())) {
      return FakeReply.text(401, "Unauthorized");
    }
    if (!token.key().equals(key) || !token.ops().contains(op)) {
      return FakeReply.error(1, "data access denied");
    }
    FakeProvider provider = providers.get(key);
    if (provider == null) {
      return FakeReply.error(1, "provider service not found");
    }
    String body = text(request.body());
    String answerKey = key + "/" + op + "\n" + body;
    FakeReply answer = answers.get(answerKey);
    if (answer == null) {
      JsonNode parsed = body.isEmpty() ? json.createObjectNode() : json.readTree(body);
      answer = wrap(provider.handle(op, parsed, user));
      answers.put(answerKey, answer);
    }
    return answer;
  }

  /** system-server's wrapping of a provider reply. */
  private FakeReply wrap(FakeReply reply) throws IOException {
    if (reply.status() != 200) {
      return FakeReply.error(1, reply.body());
    }
    ObjectNode node = json.createObjectNode();
    node.put("code", 0);
    node.put("message", "success");
    node.set("data", reply.isEmpty() ? null : json.readTree(reply.body()));
    return FakeReply.json(node);
  }

  private static String text(RequestBody body) throws IOException {
    if (body == null) {
      return "";
    }
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return buffer.readUtf8();
  }

  private String dateHeader() {
    long second = clock.instant().getEpochSecond();
    DateHeader d = date;
    if (d.second() != second) {
      d =
          new DateHeader(
              second,
              HTTP_DATE.format(
                  ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.UTC)));
      date = d;
    }
    return d.text();
  }
}
