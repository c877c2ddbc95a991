package io.olares.secrets.testing.fake.infisical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays every request captured from a real Infisical server against the fake, in capture order,
 * and compares status, recorded headers and the JSON body byte for byte.
 *
 * <p>The only inputs taken from the captures besides the requests are what the real server drew
 * from its surroundings: the ids it generated, the clock at each write, and the world that existed
 * before the capture (the project, its {@code dev} environment and the {@code SMOKE_TEST} secret).
 * Everything else (field sets and order, versions, tags, paths, sorting, errors, rate-limit
 * headers) is computed by the fake.
 */
class CapturedExchangesReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final String PROJECT = "9370adb1-00b0-4064-8caf-4d5bdc79830a";

  private static Captures captures;

  @BeforeAll
  static void loadCaptures() {
    String dir = System.getProperty("olares.shared.testdata");
    Path file = dir == null ? null : Captures.file(Path.of(dir));
    Assumptions.assumeTrue(
        file != null && Files.isRegularFile(file),
        "shared test data with infisical/captures.json is absent; set olares.shared.testdata");
    captures = Captures.load(file);
  }

  @Test
  void everyCapturedExchangeIsReproducedByteForByte() throws IOException {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-04T16:00:30Z"));
    Deque<String> ids = new ArrayDeque<>();
    JsonNode folder = body("folder").path("folder");
    JsonNode smoke = body("list").path("secrets").get(1);
    try (InfisicalFake fake =
        InfisicalFake.builder()
            .clock(clock)
            .ids(() -> ids.isEmpty() ? UUID.randomUUID().toString() : ids.pop())
            .tokens(() -> "<access-token>")
            .versionQueryIgnored(true)
            .readRateLimit(40, Duration.ofMinutes(1))
            .project(PROJECT, "sdk-test")
            .environment(
                PROJECT, "dev", folder.path("envId").asText(), folder.path("parentId").asText())
            .secret(
                PROJECT,
                "dev",
                "/",
                smoke.path("secretKey").asText(),
                smoke.path("secretValue").asText(),
                smoke.path("id").asText(),
                Instant.parse(smoke.path("createdAt").asText()))
            .universalAuth(
                "<client-id>", "<client-secret>", Duration.ofDays(1), Duration.ofDays(30))
            .start()) {
      OkHttpClient http = new OkHttpClient();
      List<String> replayed = new ArrayList<>();
      String token = null;
      for (Captures.Exchange exchange : captures.exchanges()) {
        prepareWorld(exchange, clock, ids);
        if (exchange.name().equals("rate_limited_read")) {
          clock.advance(Duration.ofMinutes(2));
          token = login(http, fake);
          for (int i = 0; i < 40; i++) {
            try (Response r = send(http, fake, exchange, token)) {
              assertThat(r.code()).as("read %d within the limit", i + 1).isEqualTo(200);
            }
          }
        }
        try (Response r = send(http, fake, exchange, token)) {
          String body = r.body().string();
          assertThat(r.code()).as(exchange.name() + " status").isEqualTo(exchange.status());
          assertThat(body).as(exchange.name() + " body").isEqualTo(exchange.responseJson());
          exchange
              .headers()
              .forEach(
                  (name, value) ->
                      assertThat(r.header(name)).as(exchange.name() + " " + name).isEqualTo(value));
          if (exchange.name().equals("login")) {
            token = JSON.readTree(body).path("accessToken").asText();
          }
        }
        replayed.add(exchange.name());
      }
      assertThat(replayed).hasSize(captures.exchanges().size()).contains("rate_limited_read");
    }
  }

  /** Sets the ids and the clock the real server used for a write. */
  private static void prepareWorld(Captures.Exchange exchange, ManualClock clock, Deque<String> ids)
      throws IOException {
    if (exchange.status() != 200) {
      return;
    }
    JsonNode body = JSON.readTree(exchange.responseJson());
    boolean create =
        exchange.method().equals("POST") && exchange.path().startsWith("/api/v3/secrets/raw/");
    boolean newFolder =
        exchange.method().equals("POST") && exchange.path().equals("/api/v1/folders");
    boolean update = exchange.method().equals("PATCH");
    JsonNode created = newFolder ? body.path("folder") : body.path("secret");
    if (create || newFolder) {
      ids.push(created.path("id").asText());
    }
    if (create || newFolder || update) {
      clock.set(Instant.parse(created.path("updatedAt").asText()));
    }
  }

  private static String login(OkHttpClient http, InfisicalFake fake) throws IOException {
    Captures.Exchange login = captures.exchange("login");
    try (Response r = send(http, fake, login, null)) {
      assertThat(r.code()).isEqualTo(200);
      return JSON.readTree(r.body().string()).path("accessToken").asText();
    }
  }

  private static Response send(
      OkHttpClient http, InfisicalFake fake, Captures.Exchange exchange, String token)
      throws IOException {
    RequestBody body =
        exchange.requestBody().map(json -> RequestBody.create(json, JSON_TYPE)).orElse(null);
    Request.Builder request =
        new Request.Builder().url(fake.url() + exchange.target()).method(exchange.method(), body);
    boolean authRoute = exchange.path().startsWith("/api/v1/auth/");
    switch (exchange.authorization()) {
      case EXPLICIT:
        request.header("Authorization", exchange.authorizationHeader());
        break;
      case SESSION_TOKEN:
        if (!authRoute && token != null) {
          request.header("Authorization", "Bearer " + token);
        }
        break;
      default:
        break;
    }
    return http.newCall(request.build()).execute();
  }

  private static JsonNode body(String name) {
    try {
      return JSON.readTree(captures.exchange(name).responseJson());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
