package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.internal.Failures;
import io.olares.secrets.k8s.internal.KubeCallException;
import io.olares.secrets.k8s.internal.KubeJson;
import io.olares.secrets.k8s.internal.SecretsApi;
import io.olares.secrets.k8s.support.KubeFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own answers, reached without the store's checks (as a client that skipped them, or a
 * rule the server adds, would), become the SDK's exceptions with the server's causes.
 */
class ServerAnswersTest {
  private static final String NS = "myapp-alice";

  private FakeKubeApiServer fake;
  private ApiClient client;
  private SecretsApi api;

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
    client = KubeFixture.client(fake, null);
    api = new SecretsApi(client, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    KubeFixture.release(client);
    fake.close();
  }

  private SecretsException failure(String secret, ThrowingCall call) {
    KubeCallException e = (KubeCallException) catchThrowable(call::run);
    assertThat(e).as("the call should fail").isNotNull();
    return Failures.toSdk("write", NS, secret, fake.basePath(), e);
  }

  private interface ThrowingCall {
    void run() throws KubeCallException;
  }

  private static byte[] secret(String name, Map<String, byte[]> data) {
    Map.Entry<String, byte[]> only = data.entrySet().iterator().next();
    return KubeJson.newSecret(NS, name, Map.of(), only.getKey(), only.getValue());
  }

  private static byte[] utf8(String json) {
    return json.getBytes(UTF_8);
  }

  @Test
  void an422ForABadKeyCarriesTheServersCause() {
    SecretsException e =
        failure("badkey", () -> api.create(NS, secret("badkey", Map.of("bad/key", new byte[1]))));

    assertThat(e).isInstanceOf(SecretRejectedException.class);
    SecretRejectedException r = (SecretRejectedException) e;
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.reason()).isEqualTo("Invalid");
    assertThat(r.causes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.field()).isEqualTo("data[bad/key]");
              assertThat(c.reason()).isEqualTo("FieldValueInvalid");
              assertThat(c.message()).contains("[-._a-zA-Z0-9]+");
            });
    assertThat(r.getMessage()).contains("data[bad/key]").contains("422");
  }

  @Test
  void an422ForABadNameNamesTheField() {
    SecretsException e =
        failure("Bad_Name", () -> api.create(NS, secret("Bad_Name", Map.of("k", new byte[1]))));

    assertThat(((SecretRejectedException) e).causes())
        .extracting(SecretRejectedException.Cause::field)
        .containsExactly("metadata.name");
  }

  @Test
  void an422ForTooMuchDataSaysTheLimit() {
    SecretsException e =
        failure(
            "toolarge",
            () -> api.create(NS, secret("toolarge", Map.of("k", new byte[1024 * 1024 + 1]))));

    assertThat(e).isInstanceOf(SecretRejectedException.class);
    assertThat(((SecretRejectedException) e).refusedLocally()).isFalse();
    assertThat(e.getMessage()).contains("may not be more than 1048576 bytes");
  }

  @Test
  void an422ForAnImmutableSecretBecomesTheImmutableException() {
    fake.putImmutable(NS, "frozen", Map.of("k", "x".getBytes(UTF_8)));

    SecretsException e =
        failure("frozen", () -> api.mergePatch(NS, "frozen", utf8("{\"data\":{\"k\":\"eQ==\"}}")));

    assertThat(e).isInstanceOf(ImmutableSecretException.class);
    assertThat(((ImmutableSecretException) e).status()).isEqualTo(422);
    assertThat(((ImmutableSecretException) e).causes())
        .extracting(SecretRejectedException.Cause::field)
        .containsExactly("data");
  }

  @Test
  void a400ForBrokenInputIsARejection() {
    SecretsException e =
        failure("x", () -> api.mergePatch(NS, "x", utf8("{\"data\":{\"k\":\"%%%\"}}")));

    // the Secret does not exist, so the server answers 404 before looking at the body
    assertThat(e).isInstanceOf(SecretNotFoundException.class);
    fake.putKeys(NS, "x", Map.of("k", new byte[] {1}));
    SecretsException bad =
        failure("x", () -> api.mergePatch(NS, "x", utf8("{\"data\":{\"k\":\"%%%\"}}")));
    assertThat(bad).isInstanceOf(SecretRejectedException.class);
    assertThat(((SecretRejectedException) bad).status()).isEqualTo(400);
    assertThat(bad.getMessage()).contains("illegal base64 data");
  }

  @Test
  void a409ForAStaleVersionIsRetryableUnavailability() {
    fake.putKeys(NS, "s", Map.of("k", new byte[] {1}));
    SecretsException conflict =
        failure("s", () -> api.mergePatch(NS, "s", KubeJson.keyPatch("1", "k", new byte[] {0})));

    assertThat(conflict)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("409 Conflict")
        .hasMessageContaining("the object has been modified");
  }

  @Test
  void a403IsAnAccessDenialWithTheServersMessage() {
    fake.forbid(NS);
    assertThat(failure("s", () -> api.read(NS, "s")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("is forbidden");
  }

  @Test
  void noAnswerAtAllIsRetryableUnavailability() {
    String base = fake.basePath();
    fake.close();

    SecretsException e = failure("s", () -> api.read(NS, "s"));

    assertThat(e).isInstanceOf(StoreUnavailableException.class).hasMessageContaining(base);
  }
}
