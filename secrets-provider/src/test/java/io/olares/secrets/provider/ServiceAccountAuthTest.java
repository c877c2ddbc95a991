package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation 2: bearer service-account token against the fake proxy. */
class ServiceAccountAuthTest {
  @TempDir Path dir;
  private FakeOlares fake;
  private Path tokenFile;
  private ProviderClient client;

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeOlares.start();
    fake.registerApp("notes", "k", "s")
        .serviceAccount("sa-token-1")
        .grantProvider(FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
    fake.secrets().put("alice", "notes", "prod", "K", "v1");
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "sa-token-1\n");
    client =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(tokenFile))
            .endpoint(fake.secretProviderUrl())
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fake.close();
  }

  private ObjectNode name(String n) {
    return new ObjectMapper().createObjectNode().put("name", n);
  }

  @Test
  void aCallGoesToTheProviderHostWithTheBearerToken() {
    assertThat(client.generation()).isEqualTo(Generation.PROVIDER);
    assertThat(
            client
                .call(
                    "secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes", name("K"))
                .path("value")
                .asText())
        .isEqualTo("v1");
    assertThat(fake.count("proxy secret/RetrieveSecret?workspace=notes")).isEqualTo(1);
  }

  @Test
  void aRotatedTokenFileIsReadAgain() throws IOException {
    client.call("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes", name("K"));
    fake.serviceAccount("sa-token-2", "notes");
    Path fresh = dir.resolve("token.new");
    Files.writeString(fresh, "sa-token-2-rotated");
    fake.serviceAccount("sa-token-2-rotated", "notes");
    Files.move(
        fresh, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    client.call("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes", name("K"));

    assertThat(fake.count("proxy.401")).isZero();
    assertThat(fake.count("proxy secret/RetrieveSecret?workspace=notes")).isEqualTo(2);
  }

  @Test
  void anUnknownTokenIs401AccessDenied() throws IOException {
    Files.writeString(tokenFile, "not-a-known-token-of-other-length");

    assertThatThrownBy(
            () ->
                client.call(
                    "secret",
                    "secret.infisical",
                    "v1",
                    "RetrieveSecret?workspace=notes",
                    name("K")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("not-a-known-token");
  }

  @Test
  void aProviderWithoutAGrantIs403AccessDenied() {
    try (ProviderClient c =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(tokenFile))
            .endpoint(fake.integrationProviderUrl())
            .build()) {
      assertThatThrownBy(() -> c.request("POST", "/api/account/list", null))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("HTTP 403");
    }
  }

  @Test
  void anUnknownProviderIs400ProviderServiceNotFound() {
    try (ProviderClient c =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(tokenFile))
            .endpoint(fake.providerUrl("nosuch"))
            .build()) {
      assertThatThrownBy(() -> c.request("POST", "/anything", null))
          .isExactlyInstanceOf(SecretsException.class)
          .hasMessageContaining("provider service not found")
          .hasMessageContaining("HTTP 400");
    }
  }

  @Test
  void aMissingTokenFileIsAConfigurationErrorNamingIt() {
    try (ProviderClient c =
        ProviderClient.builder()
            .auth(ServiceAccountAuth.fromFile(dir.resolve("absent")))
            .endpoint(fake.secretProviderUrl())
            .build()) {
      assertThatThrownBy(() -> c.request("POST", "/ListSecret?workspace=notes", null))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("absent");
    }
  }

  @Test
  void aGenerationTwoClientNeedsAnEndpoint() {
    assertThatThrownBy(
            () -> ProviderClient.builder().auth(ServiceAccountAuth.fromFile(tokenFile)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("endpoint");
  }
}
