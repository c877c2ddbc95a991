package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fake.olares.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reply shape of the issue maps to the right exception type, carries the server's message,
 * and never a value: each request sends {@link #CANARY}, and error replies echo it in fields the
 * client must not copy into messages.
 */
class ReplyMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANARY = "CANARY-value-5150";

  @TempDir Path dir;
  private MockWebServer server;
  private ProviderClient client;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    server.start();
    Path token = dir.resolve("token");
    Files.writeString(token, "sa-token-CANARY");
    client =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(token))
            .endpoint(server.url("/").toString())
            .sleeper(sleeps::add)
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  private JsonNode callWith(MockResponse response) {
    server.enqueue(response);
    ObjectNode body = JSON.createObjectNode().put("name", "K").put("value", CANARY);
    return client.call("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=w", body);
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static MockResponse text(int status, String body) {
    return new MockResponse.Builder().code(status).body(body).build();
  }

  static Stream<Arguments> errorShapes() {
    String echo = ",\"data\":{\"value\":\"" + CANARY + "\"}";
    return Stream.of(
        Arguments.of(
            "code 1, data access denied",
            json(200, "{\"code\":1,\"message\":\"data access denied\"}"),
            AccessDeniedException.class,
            "data access denied"),
        Arguments.of(
            "code 1, permission wording",
            json(200, "{\"code\":1,\"message\":\"permission required is not allowed\"}"),
            AccessDeniedException.class,
            "permission required is not allowed"),
        Arguments.of(
            "provider error nested in a success envelope: missing item",
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":500,\"message\":\"secret K"
                    + " not found\"}}"),
            SecretNotFoundException.class,
            "secret K not found"),
        Arguments.of(
            "provider error nested: missing workspace",
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":500,\"message\":\"workspace"
                    + " w not found\"}}"),
            SecretNotFoundException.class,
            "workspace w not found"),
        Arguments.of(
            "provider error nested: server failure",
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":500,\"message\":\"infisical"
                    + " is down\""
                    + echo
                    + "}}"),
            StoreUnavailableException.class,
            "infisical is down"),
        Arguments.of(
            "provider error nested: bad request",
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":400,\"message\":\"workspace"
                    + " is required\"}}"),
            SecretsException.class,
            "workspace is required"),
        Arguments.of(
            "provider error nested: 401",
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":401,\"message\":\"bad"
                    + " session\"}}"),
            AccessDeniedException.class,
            "bad session"),
        Arguments.of(
            "code 1 without a message",
            json(200, "{\"code\":1,\"message\":\"\"}"),
            SecretNotFoundException.class,
            "not enabled or not found"),
        Arguments.of(
            "an error envelope echoing data",
            json(200, "{\"code\":1,\"message\":\"something odd\"" + echo + "}"),
            SecretsException.class,
            "something odd"),
        Arguments.of(
            "HTTP 401", text(401, "Unauthorized"), AccessDeniedException.class, "Unauthorized"),
        Arguments.of("HTTP 403", text(403, "Forbidden"), AccessDeniedException.class, "Forbidden"),
        Arguments.of(
            "HTTP 400 provider service not found",
            text(400, "provider service not found"),
            SecretsException.class,
            "provider service not found"),
        Arguments.of(
            "HTTP 404", text(404, "404 page not found"), SecretNotFoundException.class, "404"),
        Arguments.of(
            "HTTP 500 with a JSON message",
            json(500, "{\"message\":\"boom\"" + echo + "}"),
            StoreUnavailableException.class,
            "boom"),
        Arguments.of(
            "HTTP 200 that is not JSON",
            text(200, "<html>" + CANARY + "</html>"),
            SecretsException.class,
            "not JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorShapes")
  void everyErrorShapeMapsToItsTypeWithTheServersMessageAndNoValue(
      String shape, MockResponse response, Class<? extends SecretsException> type, String said) {
    assertThatThrownBy(() -> callWith(response))
        .isExactlyInstanceOf(type)
        .hasMessageContaining(said)
        .hasMessageContaining("RetrieveSecret?workspace=w")
        .hasMessageNotContaining(CANARY)
        .hasMessageNotContaining("sa-token");
  }

  @Test
  void aSuccessNestedTwiceIsUnwrappedToTheProviderData() {
    JsonNode data =
        callWith(
            json(
                200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"code\":0,\"message\":\"\","
                    + "\"data\":{\"name\":\"K\",\"value\":\"v\",\"env\":\"prod\"}}}"));

    assertThat(data.path("value").asText()).isEqualTo("v");
  }

  @Test
  void anEmptySuccessBodyIsSuccess() {
    assertThat(callWith(text(200, "")).isNull()).isTrue();
  }

  @Test
  void aSuccessEnvelopeWithoutDataIsSuccess() {
    assertThat(callWith(json(200, "{\"code\":0,\"message\":\"\"}")).isNull()).isTrue();
  }

  @Test
  void dataThatMerelyHasACodeFieldIsNotMistakenForAnEnvelope() {
    JsonNode data =
        callWith(json(200, "{\"code\":0,\"message\":\"\",\"data\":{\"code\":7,\"name\":\"x\"}}"));

    assertThat(data.path("code").asInt()).isEqualTo(7);
  }

  @Test
  void anUnreachableServerIsUnavailable() throws IOException {
    server.close();

    assertThatThrownBy(() -> callWith(text(200, "")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot reach")
        .hasMessageContaining("after 3 attempts");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void generationOneWrappingOfProviderErrorsMapsTheSameWay() {
    try (FakeOlares fake = FakeOlares.start()) {
      fake.registerApp("a", "k", "s").grantSysData("x", "x.group", "v1", "Op");
      fake.provider(
          "x", "x.group", "v1", (op, body, user) -> FakeReply.error(500, "secret K not found"));
      try (ProviderClient c =
          ProviderClient.builder()
              .auth(
                  AppKeyAuth.builder()
                      .appKey("k")
                      .appSecret(io.olares.secrets.SecretValue.ofString("s"))
                      .systemServer(fake.systemServerHost())
                      .bcryptCost(4)
                      .build())
              .build()) {
        assertThatThrownBy(() -> c.call("x", "x.group", "v1", "Op", null))
            .isExactlyInstanceOf(SecretNotFoundException.class)
            .hasMessageContaining("secret K not found");
      }
    }
  }
}
