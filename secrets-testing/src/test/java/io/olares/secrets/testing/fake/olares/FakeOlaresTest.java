package io.olares.secrets.testing.fake.olares;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake speaks the documented protocol, checked with plain HTTP calls. */
class FakeOlaresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private final OkHttpClient http = new OkHttpClient();
  private FakeOlares fake;

  @BeforeEach
  void setUp() {
    fake = FakeOlares.start("alice", Clock.fixed(NOW, ZoneOffset.UTC));
    fake.registerApp("notes", "key", "secret")
        .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes")
        .grantSysData("secret", "secret.infisical", "v1", "ListSecret");
    fake.secrets().put("alice", "notes", "prod", "A", "1");
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  private JsonNode post(HttpUrl url, JsonNode body, String header, String value)
      throws IOException {
    Request.Builder b =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(body.toString(), MediaType.get("application/json")));
    if (header != null) {
      b.header(header, value);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      String text = r.body().string();
      ObjectNode out = JSON.createObjectNode();
      out.put("status", r.code());
      boolean json = "application/json".equals(r.header("Content-Type"));
      out.set(
          "body",
          text.isEmpty()
              ? null
              : json ? JSON.readTree(text) : JSON.getNodeFactory().textNode(text));
      return out;
    }
  }

  private JsonNode access(long timestamp, String... ops) throws IOException {
    String token =
        OpenBSDBCrypt.generate(
            "2a", ("key" + timestamp + "secret").getBytes(StandardCharsets.UTF_8), new byte[16], 4);
    ObjectNode body = JSON.createObjectNode();
    body.put("app_key", "key");
    body.put("timestamp", timestamp);
    body.put("token", token);
    ObjectNode perm = body.putObject("perm");
    perm.put("group", "secret.infisical");
    perm.put("dataType", "secret");
    perm.put("version", "v1");
    for (String op : ops) {
      perm.withArray("ops").add(op);
    }
    return post(fake.systemServerUrl().resolve("/permission/v1alpha1/access"), body, null, null)
        .get("body");
  }

  private HttpUrl op(String op) {
    return HttpUrl.get(
        fake.systemServerUrl() + "system-server/v1alpha1/secret/secret.infisical/v1/" + op);
  }

  @Test
  void theClockWindowIsTenSecondsEitherWay() throws IOException {
    long now = NOW.getEpochSecond();
    assertThat(access(now - 10, "ListSecret?workspace=x").path("code").asInt()).isZero();
    assertThat(access(now + 10, "ListSecret?workspace=x").path("code").asInt()).isZero();
    assertThat(access(now + 11, "ListSecret?workspace=x").path("message").asText())
        .isEqualTo("request time expired");
    assertThat(access(now - 11, "ListSecret?workspace=x").path("message").asText())
        .isEqualTo("request time expired");
  }

  @Test
  void grantsCoverAnOpExactlyOrByItsNameWithoutQuery() throws IOException {
    long now = NOW.getEpochSecond();
    assertThat(access(now, "RetrieveSecret?workspace=notes").path("code").asInt()).isZero();
    assertThat(access(now, "RetrieveSecret?workspace=other").path("message").asText())
        .isEqualTo("permission required is not allowed");
    assertThat(access(now, "ListSecret?workspace=anything").path("code").asInt()).isZero();
  }

  @Test
  void aCallNeedsTheExactOpOfItsTokenAndIsWrappedTwice() throws IOException {
    String token =
        access(NOW.getEpochSecond(), "RetrieveSecret?workspace=notes")
            .path("data")
            .path("access_token")
            .asText();
    ObjectNode body = JSON.createObjectNode().put("name", "A");

    JsonNode ok = post(op("RetrieveSecret?workspace=notes"), body, "X-Access-Token", token);
    JsonNode denied = post(op("ListSecret?workspace=notes"), body, "X-Access-Token", token);
    JsonNode missing = post(op("RetrieveSecret?workspace=notes"), body, null, null);

    assertThat(ok.path("body").toString())
        .isEqualTo(
            "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":0,\"message\":\"\","
                + "\"data\":{\"name\":\"A\",\"value\":\"1\",\"env\":\"prod\"}}}");
    assertThat(denied.path("body").toString())
        .isEqualTo("{\"code\":1,\"message\":\"data access denied\"}");
    assertThat(missing.path("status").asInt()).isEqualTo(401);
  }

  @Test
  void tokensExpireAfterFiveMinutes() throws IOException {
    String token =
        access(NOW.getEpochSecond(), "RetrieveSecret?workspace=notes")
            .path("data")
            .path("access_token")
            .asText();
    fake.clock(Clock.fixed(NOW.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));

    JsonNode reply =
        post(
            op("RetrieveSecret?workspace=notes"), JSON.createObjectNode(), "X-Access-Token", token);

    assertThat(reply.path("status").asInt()).isEqualTo(401);
  }

  @Test
  void theSecretProviderAnswersWithTheDocumentedShapes() {
    FakeSecretProvider p = new FakeSecretProvider();
    ObjectNode create =
        JSON.createObjectNode().put("name", "K").put("value", "v").put("env", "dev");

    assertThat(p.handle("CreateSecret?workspace=w", create, "bob").body()).isEmpty();
    assertThat(p.hasWorkspace("bob", "w")).isTrue();
    assertThat(
            p.handle("ListSecret?workspace=w", JSON.createObjectNode().put("env", "dev"), "bob")
                .body())
        .isEqualTo(
            "{\"code\":0,\"message\":\"\",\"data\":[{\"name\":\"K\",\"value\":\"v\",\"env\":\"dev\"}]}");
    assertThat(p.handle("RetrieveSecret", create, "bob").body())
        .isEqualTo("{\"code\":400,\"message\":\"workspace is required\"}");
    assertThat(p.handle("RetrieveSecret?workspace=none", create, "bob").body())
        .contains("\"code\":500");
    assertThat(
            p.handle("RetrieveSecret?workspace=w", JSON.createObjectNode().put("name", "K"), "bob")
                .body())
        .as("env defaults to prod")
        .contains("secret K not found");
  }

  @Test
  void theProxyAnswersPlainHttpErrors() throws IOException {
    fake.registerApp("photo", "k2", "s2").serviceAccount("sa");
    JsonNode none =
        post(
            fake.integrationProviderUrl().resolve("integration/api/account/list"),
            JSON.createObjectNode(),
            null,
            null);
    JsonNode forbidden =
        post(
            fake.integrationProviderUrl().resolve("integration/api/account/list"),
            JSON.createObjectNode(),
            "Authorization",
            "Bearer sa");
    JsonNode unknown =
        post(
            fake.providerUrl("nosuch").resolve("nosuch/x"),
            JSON.createObjectNode(),
            "Authorization",
            "Bearer sa");

    assertThat(none.path("status").asInt()).isEqualTo(401);
    assertThat(forbidden.path("status").asInt()).isEqualTo(403);
    assertThat(unknown.path("status").asInt()).isEqualTo(400);
    assertThat(fake.counts())
        .containsEntry("proxy.401", 1)
        .containsEntry("proxy.403", 1)
        .containsEntry("proxy.400", 1);
  }
}
