package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.testing.LogCapture;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fake.olares.FakeReply;
import io.olares.secrets.testing.fake.olares.FakeTime;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the provider client repeats, how long it waits and when it stops, against a server on
 * 127.0.0.1 that answers what each test queues. Waits are recorded by a sleeper that moves a test
 * clock; nothing sleeps for real (only the timeout cases wait for their short read timeout).
 */
class ProviderRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANARY = "CANARY-retry-4417";
  private static final String TOKEN = "sa-token-CANARY-9921";
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir Path dir;
  private FakeTime time;
  private MockWebServer server;
  private OkHttpClient http;
  private ProviderClient client;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    time = new FakeTime(START);
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    Files.writeString(dir.resolve("token"), TOKEN);
    client = client(ProviderRetry.DEFAULT, Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    time.close();
  }

  private ProviderClient client(ProviderRetry retry, Duration readTimeout) {
    if (client != null) {
      client.close();
    }
    http = new OkHttpClient.Builder().readTimeout(readTimeout).build();
    client =
        ProviderClient.builder()
            .name("secret")
            .auth(ServiceAccountAuth.fromFile(dir.resolve("token")))
            .endpoint(server.url("/"))
            .httpClient(http)
            .clock(time.clock())
            .retry(retry)
            .sleeper(
                d -> {
                  sleeps.add(d);
                  time.advance(d);
                })
            .build();
    return client;
  }

  private static ProviderOp op(String name) {
    return ProviderOp.of("secret", "secret.infisical", "v1", name + "?workspace=notes");
  }

  private JsonNode call(String op) {
    ObjectNode body = JSON.createObjectNode().put("name", "API_KEY").put("env", "prod");
    if (!op.equals("RetrieveSecret")) {
      body.put("value", CANARY);
    }
    return client.call(op(op), body);
  }

  private String retrieve() {
    return call("RetrieveSecret").path("value").asText();
  }

  private void enqueue(MockResponse... responses) {
    for (MockResponse r : responses) {
      server.enqueue(r);
    }
  }

  private static MockResponse status(int status) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body("{\"code\":" + status + ",\"message\":\"busy\"}")
        .build();
  }

  private static MockResponse status(int status, String retryAfter) {
    return new MockResponse.Builder(status(status)).addHeader("Retry-After", retryAfter).build();
  }

  private static MockResponse value(String value) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"code\":0,\"message\":\"success\",\"data\":{\"name\":\"API_KEY\",\"value\":\""
                + value
                + "\",\"env\":\"prod\"}}")
        .build();
  }

  private static MockResponse empty() {
    return new MockResponse.Builder().body("").build();
  }

  /** The connection closes after the request was read, before any answer. */
  private static MockResponse closedBeforeAnswer() {
    return new MockResponse.Builder()
        .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
        .build();
  }

  /** The answer's status and headers arrive, then the connection closes mid-body. */
  private static MockResponse cutMidBody() {
    return new MockResponse.Builder(value("v"))
        .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
        .build();
  }

  /** Nothing is answered: the client's read timeout ends the exchange. */
  private static MockResponse noAnswer() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 502, 503, 504})
  void aTransientStatusIsRepeatedAndTheLaterAnswerReturned(int status) {
    enqueue(status(status), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 502, 503, 504})
  void aPersistentTransientStatusEndsAfterTheFirstRequestAndTwoRepeats(int status) {
    enqueue(status(status), status(status), status(status), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("store 'secret'")
        .hasMessageContaining("RetrieveSecret?workspace=notes")
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("after 3 attempts");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void retryAfterInSecondsIsWaitedExactly() {
    enqueue(status(503, "3"), status(429, "1"), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(1));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void retryAfterAsAnHttpDateIsWaitedUntilThatTime() {
    String in7Seconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(7).atOffset(ZoneOffset.UTC));
    enqueue(status(429, in7Seconds), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterADateAlreadyPastRepeatsAtOnce() {
    String past =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            START.minusSeconds(30).atOffset(ZoneOffset.UTC));
    enqueue(status(503, past), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(sleeps).containsExactly(Duration.ZERO);
  }

  @Test
  void aRetryAfterLongerThanTheTimeLeftIsNotWaitedOut() {
    enqueue(status(503, "30"), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("asked to wait 30 s (Retry-After), and only 10 s is left of")
        .hasMessageContaining("retryMaxWait 10 s")
        .hasMessageContaining("after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void a500WithoutRetryAfterIsNotRepeated() {
    enqueue(status(500), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("not repeated (500 without Retry-After) after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void a500WithRetryAfterIsRepeatedAfterTheWaitItAsks() {
    enqueue(status(500, "2"), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {501, 505})
  void otherServerErrorsAreNotRepeated(int status) {
    enqueue(status(status, "1"), value("never read"));

    assertThatThrownBy(this::retrieve).isExactlyInstanceOf(StoreUnavailableException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"CreateSecret", "DeleteSecret"})
  void anOpThatIsNotSafeToRepeatIsSentOnceDespiteA503(String op) {
    enqueue(status(503, "1"), empty());

    assertThatThrownBy(() -> call(op))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(op + "?workspace=notes")
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("not repeated after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"CreateSecret", "DeleteSecret"})
  void a503AskingForAnImmediateRetryDoesNotMakeOkHttpRepeatAnUnsafeOpBehindTheRules(String op) {
    // OkHttp on its own sends a request again at once after a 503 with "Retry-After: 0".
    enqueue(status(503, "0"), empty());

    assertThatThrownBy(() -> call(op))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("not repeated after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aReadAfterA503AskingForAnImmediateRetryIsRepeatedByTheRules() {
    enqueue(status(503, "0"), value("v2"));

    assertThat(retrieve()).isEqualTo("v2");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"CreateSecret", "DeleteSecret"})
  void anOpThatIsNotSafeToRepeatIsRepeatedAfterA429SinceTheServerDidNotActOnIt(String op) {
    enqueue(status(429, "1"), empty());

    assertThat(call(op).isNull()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aCreateRefusedWith429ToTheEndGivesUpWithoutSayingItMayHaveBeenApplied() {
    enqueue(status(429), status(429), status(429), empty());

    assertThatThrownBy(() -> call("CreateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("HTTP 429")
        .hasMessageContaining("gave up after 3 attempts")
        .hasMessageNotContaining("may have been applied")
        .hasMessageNotContaining(CANARY);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void aPostOfAnUnknownKindIsRepeatedAfterA429() {
    enqueue(status(429, "2"), empty());

    assertThat(client.request("POST", "/api/things", null).isNull()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void aCreateRefusedWith429IsNotRepeatedPastTheBudget() {
    enqueue(status(429, "30"), empty());

    assertThatThrownBy(() -> call("CreateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("asked to wait 30 s (Retry-After)")
        .hasMessageNotContaining("may have been applied");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"99999999999999999999", "9999999999999999999", "0000000000000000000031"})
  void aRetryAfterBeyondAnyNumberIsLongerThanTheBudgetAndNotAnError(String retryAfter) {
    enqueue(status(503, retryAfter), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("(Retry-After), and only 10 s is left of retryMaxWait 10 s")
        .hasMessageContaining("after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"soon", "-5", "1.5"})
  void a500WithAnUnusableRetryAfterSaysSoAndIsNotRepeated(String retryAfter) {
    enqueue(status(500, retryAfter), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(
            "not repeated (500 with an unusable Retry-After '" + retryAfter + "') after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anUnusableRetryAfterIsShownCutToFortyCharacters() {
    String longValue = "x".repeat(41) + "TAIL";
    enqueue(status(500, longValue), value("never read"));

    assertThatThrownBy(this::retrieve)
        .hasMessageContaining("unusable Retry-After '" + "x".repeat(40) + "...'")
        .hasMessageNotContaining("TAIL");
  }

  @Test
  void waitsOfASecondOrMoreAreShownInSecondsAndShorterOnesInMilliseconds() {
    client(ProviderRetry.of(2, Duration.ofMillis(1500)), Duration.ofSeconds(10));
    enqueue(status(503, "3598"));

    assertThatThrownBy(this::retrieve)
        .hasMessageContaining("asked to wait 3598 s (Retry-After), and only 1 s is left of")
        .hasMessageContaining("retryMaxWait 2 s");

    client(ProviderRetry.of(2, Duration.ofMillis(900)), Duration.ofSeconds(10));
    enqueue(status(503, "1"));

    assertThatThrownBy(this::retrieve)
        .hasMessageContaining("asked to wait 1 s (Retry-After), and only 900 ms is left of")
        .hasMessageContaining("retryMaxWait 900 ms");
  }

  @Test
  void anOpOfAnUnknownProviderIsSentOnceUnlessTheCallerSaysItReads() {
    ProviderOp ollama = ProviderOp.of("legacy_ollama", "api.ollama", "v2", "tags");
    enqueue(status(503), status(503), empty());

    assertThatThrownBy(() -> client.call(ollama, null))
        .isExactlyInstanceOf(StoreUnavailableException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);

    assertThat(client.call(ollama, null, Idempotency.READ).isNull()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void anUpdateIsRepeatedAfterA503() {
    enqueue(status(503), empty());

    assertThat(call("UpdateSecret").isNull()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aReadIsRepeatedAfterNoAnswerWithinTheReadTimeout() {
    client(ProviderRetry.DEFAULT, Duration.ofMillis(500));
    enqueue(noAnswer(), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void anUpdateIsNotRepeatedAfterNoAnswerWithinTheReadTimeout() {
    client(ProviderRetry.DEFAULT, Duration.ofMillis(500));
    enqueue(noAnswer(), empty());

    assertThatThrownBy(() -> call("UpdateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no answer from")
        .hasMessageContaining("not repeated after 1 attempt: the server may still be applying");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aConnectionClosedBeforeAnyAnswerIsRepeatedForAReadAndAnUpdate() {
    enqueue(closedBeforeAnswer(), value("v1"), closedBeforeAnswer(), empty());

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(call("UpdateSecret").isNull()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void aConnectionClosedBeforeAnyAnswerEndsACreate() {
    enqueue(closedBeforeAnswer(), empty());

    assertThatThrownBy(() -> call("CreateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("the connection broke before any answer")
        .hasMessageContaining("may have been applied");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anAnswerCutOffMidBodyIsRepeatedForAReadOnly() {
    enqueue(cutMidBody(), value("v1"), cutMidBody(), empty());

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(server.getRequestCount()).isEqualTo(2);

    assertThatThrownBy(() -> call("UpdateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("broke off");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void anUnreachableServerIsTriedAgainEvenForACreateSinceNothingWasSent() {
    server.close();

    assertThatThrownBy(() -> call("CreateSecret"))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot reach")
        .hasMessageContaining("after 3 attempts");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void retriesStopWhereTheRetryAfterWouldPassTheDeadline() {
    client(ProviderRetry.of(5, Duration.ofSeconds(5)), Duration.ofSeconds(10));
    for (int i = 0; i < 6; i++) {
      enqueue(status(503, "2"));
    }

    // fails at 0 s, waits to 2 s, fails, waits to 4 s, fails: 2 s more would pass 5 s
    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("and only 1 s is left of retryMaxWait 5 s")
        .hasMessageContaining("after 3 attempts");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void retriesStopWhereTheBackoffWouldPassTheDeadline() {
    client(
        new ProviderRetry(10, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(8)),
        Duration.ofSeconds(10));
    for (int i = 0; i < 11; i++) {
      enqueue(status(502));
    }

    // waits of 0.5-1 s and 1-2 s fit in 3 s; the third, 2-4 s, does not
    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("retryMaxWait (3 s) is spent")
        .hasMessageContaining("after 3 attempts");
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0).plus(sleeps.get(1))).isLessThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void backoffWithoutRetryAfterGrowsExponentiallyWithJitter() {
    client(
        new ProviderRetry(3, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(8)),
        Duration.ofSeconds(10));
    enqueue(status(503), status(503), status(503), value("v1"));

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(sleeps.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void withoutRetriesEveryCallIsSentOnce() {
    client(ProviderRetry.NONE, Duration.ofSeconds(10));
    enqueue(status(503), value("never read"));

    assertThatThrownBy(this::retrieve)
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("after 1 attempt");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRepeatAfterA401WithAFreshTokenDoesNotUseUpTheRetries() throws Exception {
    List<String> bearers = new CopyOnWriteArrayList<>();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            bearers.add(request.getHeaders().get("Authorization"));
            return switch (bearers.size()) {
              case 1 -> {
                rotateToken();
                yield new MockResponse.Builder().code(401).body("Unauthorized").build();
              }
              case 2, 3 -> status(503);
              default -> value("v1");
            };
          }
        });

    assertThat(retrieve()).isEqualTo("v1");
    assertThat(bearers)
        .containsExactly("Bearer " + TOKEN, "Bearer rotated", "Bearer rotated", "Bearer rotated");
    assertThat(sleeps).hasSize(2);
  }

  private void rotateToken() {
    try {
      Files.writeString(dir.resolve("token"), "rotated");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void noValueOrTokenReachesTheMessageOrTheLogsOfARetriedCall() throws Exception {
    MockResponse echoing =
        new MockResponse.Builder()
            .code(503)
            .addHeader("Content-Type", "application/json")
            .body("{\"message\":\"busy\",\"data\":{\"value\":\"" + CANARY + "\"}}")
            .build();
    enqueue(echoing, closedBeforeAnswer(), value(CANARY), echoing, echoing, echoing);
    StoreUnavailableException[] thrown = new StoreUnavailableException[1];

    String logged =
        LogCapture.capture(
            () -> {
              assertThat(call("UpdateSecret").path("value").asText()).isEqualTo(CANARY);
              try {
                call("UpdateSecret");
              } catch (StoreUnavailableException e) {
                thrown[0] = e;
              }
            });

    assertThat(thrown[0]).isNotNull();
    assertThat(thrown[0].getMessage()).contains("after 3 attempts");
    for (Throwable t = thrown[0]; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(CANARY).doesNotContain(TOKEN);
    }
    assertThat(logged).contains("repeating in").doesNotContain(CANARY).doesNotContain(TOKEN);
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  /** Generation 1: the same rules through system-server, with access tokens per op. */
  @Nested
  class SysData {
    private FakeOlares fake;
    private ProviderClient gen1;

    @BeforeEach
    void setUp() {
      fake = FakeOlares.start("alice", time.clock());
      fake.registerApp("notes", "notes-key", "notes-secret")
          .grantSysData(
              "secret",
              "secret.infisical",
              "v1",
              "RetrieveSecret?workspace=notes",
              "CreateSecret?workspace=notes");
      fake.secrets().put("alice", "notes", "prod", "API_KEY", "v1");
      gen1 =
          ProviderClient.builder()
              .auth(
                  AppKeyAuth.builder()
                      .appKey("notes-key")
                      .appSecret(SecretValue.ofString("notes-secret"))
                      .systemServer(fake.systemServerHost())
                      .bcryptCost(4)
                      .build())
              .clock(time.clock())
              .sleeper(sleeps::add)
              .build();
    }

    @AfterEach
    void tearDown() {
      gen1.close();
      fake.close();
    }

    private JsonNode call(String op) {
      ObjectNode body = JSON.createObjectNode().put("name", "API_KEY").put("env", "prod");
      return gen1.call(op(op), body);
    }

    @Test
    void aReadRepeatedAfterA502KeepsItsAccessToken() {
      fake.failNext("call", 1, FakeReply.text(502, "bad gateway"));

      assertThat(call("RetrieveSecret").path("value").asText()).isEqualTo("v1");
      assertThat(fake.count("call secret/secret.infisical/v1/RetrieveSecret?workspace=notes"))
          .isEqualTo(1);
      assertThat(fake.requestLines()).filteredOn(l -> l.contains("/RetrieveSecret")).hasSize(2);
      assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1);
      assertThat(sleeps).hasSize(1);
    }

    @Test
    void aTokenRequestRefusedWith429IsRepeated() {
      fake.failNext("access", 2, FakeReply.text(429, "slow down"));

      assertThat(call("RetrieveSecret").path("value").asText()).isEqualTo("v1");
      assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(3);
      assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1);
      assertThat(sleeps).hasSize(2);
    }

    @Test
    void aCreateIsNotRepeatedAfterA503() {
      fake.failNext("call", 1, FakeReply.text(503, "unavailable"));

      assertThatThrownBy(() -> call("CreateSecret"))
          .isExactlyInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("not repeated after 1 attempt");
      assertThat(fake.requestLines()).filteredOn(l -> l.contains("/CreateSecret")).hasSize(1);
      assertThat(sleeps).isEmpty();
    }
  }
}
