package io.olares.secrets.infisical;

import static io.olares.secrets.infisical.Fixture.PROJECT;
import static io.olares.secrets.infisical.Fixture.READ;
import static io.olares.secrets.infisical.Fixture.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Secret;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfisicalStoreProviderTest {
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.pod-token.sig";

  private final Fixture fx =
      new Fixture(
          b -> b.kubernetesAuth("identity-k8s", JWT, Duration.ofHours(1), Duration.ofDays(1)));

  @AfterEach
  void close() {
    fx.close();
  }

  private SecretStore open(Map<String, Object> options) {
    StoreContext context =
        new StoreContext("myapp", "alice", fx.clock, name -> null, Path.of("target"));
    return new InfisicalStoreProvider()
        .open(new StoreConfig("creds", "infisical", options), context);
  }

  private static String read(SecretStore store, String ref) {
    try (Secret s = store.read(ref(ref), READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  @Test
  void isFoundByTheServiceLoaderUnderItsType() {
    assertThat(ServiceLoader.load(SecretStoreProvider.class).stream())
        .anySatisfy(p -> assertThat(p.get().type()).isEqualTo("infisical"));
    assertThat(new InfisicalStoreProvider().classifications())
        .containsExactlyInAnyOrder(
            Classification.CREDENTIAL, Classification.APPLICATION_CREDENTIAL);
  }

  @Test
  void opensAStoreWithUniversalAuthFromConfiguration() {
    fx.fake.putSecret(PROJECT, "dev", "/", "DB", "from-config");
    try (SecretStore store =
        open(
            Map.of(
                "site", fx.fake.url(),
                "auth",
                    Map.of(
                        "universal",
                        Map.of(
                            "clientId", Fixture.CLIENT_ID, "clientSecret", Fixture.CLIENT_SECRET)),
                "readTimeout", "2s",
                "retry", Map.of("maxAttempts", "2", "baseDelay", "50ms"),
                "owners", Map.of("shop", "myapp")))) {
      assertThat(store.name()).isEqualTo("creds");
      assertThat(read(store, "creds://shop/dev/DB")).isEqualTo("from-config");
      assertThat(store.describe(ref("creds://shop/dev/DB"), "x").classification())
          .isEqualTo(Classification.APPLICATION_CREDENTIAL);
    }
  }

  @Test
  void kubernetesAuthReadsTheServiceAccountTokenAtEveryLogin(@TempDir Path dir) throws Exception {
    fx.fake.putSecret(PROJECT, "dev", "/", "DB", "via-k8s");
    Path token = dir.resolve("token");
    Files.writeString(token, JWT + "\n");
    try (SecretStore store =
        open(
            Map.of(
                "site", fx.fake.url(),
                "auth",
                    Map.of(
                        "kubernetes",
                        Map.of("identityId", "identity-k8s", "tokenPath", token.toString()))))) {
      assertThat(read(store, "creds://shop/dev/DB")).isEqualTo("via-k8s");
      assertThat(fx.fake.requests(Route.KUBERNETES_AUTH_LOGIN)).isEqualTo(1);

      Files.writeString(token, "rotated-but-not-accepted");
      fx.fake.revokeAllTokens();
      assertThatThrownBy(() -> read(store, "creds://shop/dev/DB"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("kubernetes-auth login of identity identity-k8s was refused")
          .hasMessageNotContaining("rotated-but-not-accepted");
      assertThat(fx.fake.requests(Route.KUBERNETES_AUTH_LOGIN)).isEqualTo(2);
    }
  }

  @Test
  void aMissingServiceAccountTokenIsAConfigurationError(@TempDir Path dir) {
    try (SecretStore store =
        open(
            Map.of(
                "site", fx.fake.url(),
                "auth",
                    Map.of(
                        "kubernetes",
                        Map.of(
                            "identityId",
                            "identity-k8s",
                            "tokenPath",
                            dir.resolve("absent").toString()))))) {
      assertThatThrownBy(() -> read(store, "creds://shop/dev/DB"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("absent");
    }
  }

  @Test
  void aGivenAccessTokenIsUsedAsIs() {
    fx.fake.putSecret(PROJECT, "dev", "/", "DB", "x");
    try (SecretStore store =
        open(Map.of("site", fx.fake.url(), "auth", Map.of("token", "not-issued")))) {
      assertThatThrownBy(() -> read(store, "creds://shop/dev/DB"))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isZero();
    }
  }

  @Test
  void badOptionsAreNamedWithoutEchoingTheirValues() {
    Map<String, Object> universal =
        Map.of("universal", Map.of("clientId", "id", "clientSecret", "do-not-echo"));
    assertThatThrownBy(() -> open(Map.of("auth", universal)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'site' is required");
    assertThatThrownBy(() -> open(Map.of("site", "ftp://x", "auth", universal)))
        .hasMessageContaining("option 'site'");
    assertThatThrownBy(() -> open(Map.of("site", fx.fake.url())))
        .hasMessageContaining("option 'auth' is required");
    assertThatThrownBy(
            () ->
                open(
                    Map.of(
                        "site",
                        fx.fake.url(),
                        "auth",
                        Map.of("universal", Map.of("clientId", "id")))))
        .hasMessageContaining("'auth.universal.clientSecret' is required");
    assertThatThrownBy(
            () ->
                open(
                    Map.of(
                        "site",
                        fx.fake.url(),
                        "auth",
                        Map.of("token", "t", "universal", Map.of()))))
        .hasMessageContaining("exactly one of universal, kubernetes or token");
    assertThatThrownBy(
            () ->
                open(
                    Map.of(
                        "site", fx.fake.url(),
                        "auth", universal,
                        "retry", Map.of("maxAttempts", "zero"))))
        .hasMessageContaining("retry.maxAttempts")
        .hasMessageNotContaining("do-not-echo");
    assertThatThrownBy(
            () -> open(Map.of("site", fx.fake.url(), "auth", universal, "readTimeout", "0s")))
        .hasMessageContaining("'readTimeout' must be positive");
    assertThat(fx.fake.requests()).isZero();
  }
}
