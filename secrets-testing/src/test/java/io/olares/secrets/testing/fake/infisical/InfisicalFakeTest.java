package io.olares.secrets.testing.fake.infisical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake's stateful behaviour, spoken to over HTTP like the real server. */
class InfisicalFakeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType TYPE = MediaType.get("application/json");
  private static final String P = "11111111-2222-3333-4444-555555555555";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InfisicalFake fake =
      InfisicalFake.builder()
          .clock(clock)
          .project(P, "proj")
          .environments(P, "dev")
          .universalAuth("id", "secret", Duration.ofMinutes(10), Duration.ofMinutes(25))
          .readRateLimit(3, Duration.ofMinutes(1))
          .start();
  private final OkHttpClient http =
      new OkHttpClient.Builder().readTimeout(300, TimeUnit.MILLISECONDS).build();

  @AfterEach
  void close() {
    fake.close();
  }

  private record Answer(int code, JsonNode body, Response raw) {}

  private Answer call(String method, String target, String token, String body) throws IOException {
    Request.Builder r =
        new Request.Builder()
            .url(fake.url() + target)
            .method(method, body == null ? null : RequestBody.create(body, TYPE));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    try (Response response = http.newCall(r.build()).execute()) {
      String text = response.body().string();
      return new Answer(response.code(), JSON.readTree(text), response);
    }
  }

  private String login() throws IOException {
    Answer a =
        call(
            "POST",
            "/api/v1/auth/universal-auth/login",
            null,
            "{\"clientId\":\"id\",\"clientSecret\":\"secret\"}");
    assertThat(a.code()).isEqualTo(200);
    return a.body().path("accessToken").asText();
  }

  private Answer put(String token, String method, String name, String path, String value)
      throws IOException {
    return call(
        method,
        "/api/v3/secrets/raw/" + name,
        token,
        "{\"workspaceId\":\""
            + P
            + "\",\"environment\":\"dev\",\"secretPath\":\""
            + path
            + "\",\"secretValue\":"
            + JSON.writeValueAsString(value)
            + "}");
  }

  @Test
  void keepsVersionsAndServesTheOneAskedFor() throws IOException {
    String t = login();
    put(t, "POST", "K", "/", "one");
    put(t, "PATCH", "K", "/", "two");

    Answer latest =
        call("GET", "/api/v3/secrets/raw/K?workspaceId=" + P + "&environment=dev", t, null);
    Answer first =
        call(
            "GET",
            "/api/v3/secrets/raw/K?workspaceId=" + P + "&environment=dev&version=1",
            t,
            null);
    Answer absent =
        call(
            "GET",
            "/api/v3/secrets/raw/K?workspaceId=" + P + "&environment=dev&version=9",
            t,
            null);

    assertThat(latest.body().at("/secret/secretValue").asText()).isEqualTo("two");
    assertThat(latest.body().at("/secret/version").asInt()).isEqualTo(2);
    assertThat(first.body().at("/secret/secretValue").asText()).isEqualTo("one");
    assertThat(absent.code()).isEqualTo(404);
    assertThat(fake.secretVersions(P, "dev", "/", "K")).containsExactly(1, 2);
  }

  @Test
  void trimsValuesLikeTheRealServer() throws IOException {
    String t = login();
    put(t, "POST", "A", "/", "  padded \n");
    put(t, "POST", "B", "/", " x \r\n\n");

    assertThat(fake.secretValue(P, "dev", "/", "A")).contains("padded\n");
    assertThat(fake.secretValue(P, "dev", "/", "B")).contains("x\n");
  }

  @Test
  void foldersNeedTheirParentAndAreIdempotent() throws IOException {
    String t = login();
    String body =
        "{\"workspaceId\":\"" + P + "\",\"environment\":\"dev\",\"name\":\"b\",\"path\":\"/a\"}";

    Answer orphan = call("POST", "/api/v1/folders", t, body);
    call("POST", "/api/v1/folders", t, body.replace("\"b\"", "\"a\"").replace("/a\"", "/\""));
    Answer made = call("POST", "/api/v1/folders", t, body);
    Answer again = call("POST", "/api/v1/folders", t, body);

    assertThat(orphan.code()).isEqualTo(404);
    assertThat(made.code()).isEqualTo(200);
    assertThat(again.body().at("/folder/id")).isEqualTo(made.body().at("/folder/id"));
    assertThat(put(t, "POST", "DEEP", "/a/b", "v").code()).isEqualTo(200);
    assertThat(put(t, "POST", "LOST", "/a/c", "v").body().path("error").asText())
        .isEqualTo("Create secret");
  }

  @Test
  void tokensExpireRenewAndStopAtTheirMaxTtl() throws IOException {
    String t = login();
    String renew = "{\"accessToken\":\"" + t + "\"}";

    clock.advance(Duration.ofMinutes(9));
    assertThat(call("POST", "/api/v1/auth/token/renew", null, renew).code()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(9));
    assertThat(fake.liveTokens()).isEqualTo(1);
    Answer pastMax = call("POST", "/api/v1/auth/token/renew", null, renew);
    assertThat(pastMax.code()).isEqualTo(401);
    assertThat(pastMax.body().path("message").asText()).contains("past its Max TTL");

    String u = login();
    clock.advance(Duration.ofMinutes(11));
    Answer expired =
        call("GET", "/api/v3/secrets/raw?workspaceId=" + P + "&environment=dev", u, null);
    assertThat(expired.code()).isEqualTo(401);
    assertThat(expired.body().path("message").asText()).contains("TTL expiration");
  }

  @Test
  void revokedTokensAreRefusedLikeTheCapturedServer() throws IOException {
    String t = login();
    call("POST", "/api/v1/auth/token/revoke", null, "{\"accessToken\":\"" + t + "\"}");

    Answer after =
        call("GET", "/api/v3/secrets/raw?workspaceId=" + P + "&environment=dev", t, null);

    assertThat(after.code()).isEqualTo(401);
    assertThat(after.body().path("message").asText()).isEqualTo("No identity access token found");
    assertThat(fake.liveTokens()).isZero();
  }

  @Test
  void theReadLimitAnswers500WithRetryAfterUntilTheWindowEnds() throws IOException {
    String t = login();
    String list = "/api/v3/secrets/raw?workspaceId=" + P + "&environment=dev";
    for (int i = 0; i < 3; i++) {
      assertThat(call("GET", list, t, null).code()).isEqualTo(200);
    }
    clock.advance(Duration.ofSeconds(15));

    Answer limited = call("GET", list, t, null);

    assertThat(limited.code()).isEqualTo(500);
    assertThat(limited.raw().header("retry-after")).isEqualTo("45");
    assertThat(limited.raw().header("x-ratelimit-remaining")).isEqualTo("0");
    assertThat(put(t, "POST", "W", "/", "writes are not limited").code()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(45));
    assertThat(call("GET", list, t, null).code()).isEqualTo(200);
  }

  @Test
  void refusesBodiesOverTheLimitAndMalformedJson() throws IOException {
    String t = login();

    Answer big = put(t, "POST", "BIG", "/", "x".repeat(1024 * 1024));
    Answer broken = call("POST", "/api/v3/secrets/raw/X", t, "{\"workspaceId\":");

    assertThat(big.code()).isEqualTo(413);
    assertThat(broken.code()).isEqualTo(400);
    assertThat(broken.body().path("code").asText()).isEqualTo("FST_ERR_CTP_INVALID_JSON_BODY");
  }

  @Test
  void injectedFaultsHitOnlyTheirRouteAndAreCounted() throws IOException {
    String t = login();
    String list = "/api/v3/secrets/raw?workspaceId=" + P + "&environment=dev";
    fake.inject(Route.LIST_SECRETS, Fault.status(503, 7));
    fake.inject(Route.LIST_SECRETS, Fault.malformedJson());
    fake.inject(Route.LIST_SECRETS, Fault.stall());

    Answer rejected = call("GET", list, t, null);
    assertThatThrownBy(() -> call("GET", list, t, null)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> call("GET", list, t, null)).isInstanceOf(IOException.class);

    assertThat(rejected.code()).isEqualTo(503);
    assertThat(rejected.raw().header("retry-after")).isEqualTo("7");
    assertThat(fake.requests(Route.LIST_SECRETS)).isEqualTo(3);
    assertThat(fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(1);
    assertThat(fake.pendingFaults(Route.LIST_SECRETS)).isZero();
  }
}
