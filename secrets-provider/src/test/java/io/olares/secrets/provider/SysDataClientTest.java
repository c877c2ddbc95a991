package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.provider.internal.AppKeyTokens;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysDataClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "app-secret-CANARY-7731";
  private static final ProviderOp RETRIEVE =
      ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");
  private static final ProviderOp CREATE =
      ProviderOp.of("secret", "secret.infisical", "v1", "CreateSecret?workspace=notes");

  private final Instant start = Instant.parse("2025-03-01T10:00:00Z");
  private FakeOlares fake;
  private ProviderClient client;

  @BeforeEach
  void setUp() {
    fake = FakeOlares.start("alice", Clock.fixed(start, ZoneOffset.UTC));
    fake.registerApp("notes", "notes-key", SECRET)
        .grantSysData(
            "secret",
            "secret.infisical",
            "v1",
            "RetrieveSecret?workspace=notes",
            "CreateSecret?workspace=notes");
    fake.secrets().put("alice", "notes", "prod", "API_KEY", "value-CANARY-1");
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    fake.close();
  }

  private ProviderClient client(Clock clock) {
    AppKeyAuth auth =
        AppKeyAuth.fromEnvironment(
            Map.of(
                    "OS_APP_KEY",
                    "notes-key",
                    "OS_APP_SECRET",
                    SECRET,
                    "OS_SYSTEM_SERVER",
                    fake.systemServerHost())
                ::get);
    client = ProviderClient.builder().auth(auth).clock(clock).build();
    return client;
  }

  private static ObjectNode body(String name) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", name);
    body.put("env", "prod");
    return body;
  }

  @Test
  void aCallReturnsTheProviderDataUnwrappedFromBothEnvelopes() {
    JsonNode data = client(fake.clock()).call(RETRIEVE, body("API_KEY"));

    assertThat(data.path("name").asText()).isEqualTo("API_KEY");
    assertThat(data.path("value").asText()).isEqualTo("value-CANARY-1");
    assertThat(data.path("env").asText()).isEqualTo("prod");
  }

  @Test
  void callsReuseTheTokenOfTheirOp() {
    ProviderClient c = client(fake.clock());
    for (int i = 0; i < 5; i++) {
      c.call(RETRIEVE, body("API_KEY"));
    }

    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1);
    assertThat(fake.count("call secret/secret.infisical/v1/RetrieveSecret?workspace=notes"))
        .isEqualTo(5);
  }

  @Test
  void anEmptySuccessReplyIsSuccess() {
    ObjectNode body = body("NEW");
    body.put("value", "v");
    JsonNode data = client(fake.clock()).call(CREATE, body);

    assertThat(data.isNull()).isTrue();
    assertThat(fake.secrets().get("alice", "notes", "prod", "NEW")).contains("v");
  }

  @Test
  void aMissingSecretIsNotFoundWithTheProviderMessage() {
    assertThatThrownBy(() -> client(fake.clock()).call(RETRIEVE, body("NOPE")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("secret NOPE not found");
  }

  @Test
  void aClockElevenSecondsAheadIsRefusedAndReportedClearly() {
    Clock ahead = Clock.offset(fake.clock(), Duration.ofSeconds(11));

    assertThatThrownBy(() -> client(ahead).call(RETRIEVE, body("API_KEY")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("more than 10 s from the server's clock")
        .hasMessageContaining("11 s ahead of the server")
        .hasMessageContaining("request time expired")
        .hasMessageNotContaining(SECRET);
    assertThat(fake.count(FakeOlares.ACCESS_REFUSED)).isEqualTo(1);
  }

  @Test
  void aClockTenSecondsBehindIsStillAccepted() {
    Clock behind = Clock.offset(fake.clock(), Duration.ofSeconds(-10));

    assertThat(client(behind).call(RETRIEVE, body("API_KEY")).path("name").asText())
        .isEqualTo("API_KEY");
  }

  @Test
  void anOpOutsideTheGrantsIsDeniedNamingTheManifest() {
    ProviderOp other = RETRIEVE.withOp("RetrieveSecret?workspace=other");

    assertThatThrownBy(() -> client(fake.clock()).call(other, body("API_KEY")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("permission required is not allowed")
        .hasMessageContaining("permission.sysData");
  }

  @Test
  void aBareOpNameGrantCoversEveryQuery() {
    fake.registerApp("wide", "wide-key", "wide-secret")
        .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret");
    fake.secrets().put("alice", "anything", "prod", "K", "v");
    AppKeyAuth auth =
        AppKeyAuth.builder()
            .appKey("wide-key")
            .appSecret(SecretValue.ofString("wide-secret"))
            .systemServer(fake.systemServerUrl().toString())
            .build();
    client = ProviderClient.builder().auth(auth).clock(fake.clock()).build();

    JsonNode data = client.call(RETRIEVE.withOp("RetrieveSecret?workspace=anything"), body("K"));

    assertThat(data.path("value").asText()).isEqualTo("v");
  }

  @Test
  void anUnknownAppKeyIsDenied() {
    AppKeyAuth auth =
        AppKeyAuth.builder()
            .appKey("nobody")
            .appSecret(SecretValue.ofString("x"))
            .systemServer(fake.systemServerHost())
            .build();
    client = ProviderClient.builder().auth(auth).clock(fake.clock()).build();

    assertThatThrownBy(() -> client.call(RETRIEVE, body("API_KEY")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("app not found")
        .hasMessageContaining("OS_APP_KEY");
  }

  @Test
  void aWrongSecretIsDeniedWithoutShowingIt() {
    AppKeyAuth auth =
        AppKeyAuth.builder()
            .appKey("notes-key")
            .appSecret(SecretValue.ofString("wrong-CANARY-secret"))
            .systemServer(fake.systemServerHost())
            .build();
    client = ProviderClient.builder().auth(auth).clock(fake.clock()).build();

    assertThatThrownBy(() -> client.call(RETRIEVE, body("API_KEY")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("invalid token")
        .hasMessageNotContaining("CANARY");
  }

  @Test
  void aServerRestartVoidsTheTokenAndTheClientFetchesANewOneOnce() {
    ProviderClient c = client(fake.clock());
    c.call(RETRIEVE, body("API_KEY"));
    fake.restart();

    JsonNode data = c.call(RETRIEVE, body("API_KEY"));

    assertThat(data.path("value").asText()).isEqualTo("value-CANARY-1");
    assertThat(fake.count("call.401")).isEqualTo(1);
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(2);
  }

  @Test
  void theSecretNeverAppearsInTheStrategyOrClientText() {
    ProviderClient c = client(fake.clock());

    assertThat(c.auth().toString()).doesNotContain(SECRET).contains("redacted");
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b", "2y"})
  void theFakeAcceptsTokensWithEveryBcryptPrefix(String version) throws IOException {
    long ts = start.getEpochSecond();
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String token;
    try (SecretValue secret = SecretValue.ofString(SECRET)) {
      token = AppKeyTokens.token(version, "notes-key", ts, secret, salt, 10);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("app_key", "notes-key");
    body.put("timestamp", ts);
    body.put("token", token);
    ObjectNode perm = body.putObject("perm");
    perm.put("group", "secret.infisical");
    perm.put("dataType", "secret");
    perm.put("version", "v1");
    perm.putArray("ops").add("RetrieveSecret?workspace=notes");

    OkHttpClient http = new OkHttpClient();
    Request request =
        new Request.Builder()
            .url(fake.systemServerUrl().resolve("/permission/v1alpha1/access"))
            .post(RequestBody.create(body.toString(), MediaType.get("application/json")))
            .build();
    try (Response response = http.newCall(request).execute()) {
      JsonNode reply = JSON.readTree(response.body().string());
      assertThat(reply.path("code").asInt()).isZero();
      assertThat(reply.path("data").path("access_token").asText()).isNotEmpty();
      assertThat(Instant.parse(reply.path("data").path("expired_at").asText()))
          .isEqualTo(start.plus(FakeOlares.TOKEN_LIFETIME));
    }
  }

  @Test
  void missingEnvironmentVariablesAreNamed() {
    assertThatThrownBy(() -> AppKeyAuth.fromEnvironment(Map.of("OS_APP_KEY", "k")::get))
        .isInstanceOf(io.olares.secrets.ConfigurationException.class)
        .hasMessageContaining("OS_APP_SECRET");
  }
}
