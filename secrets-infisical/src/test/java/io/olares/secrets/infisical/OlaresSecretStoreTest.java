package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.SecretsException;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OlaresSecretStoreTest {
  static final String APP = "myapp";
  @TempDir Path dir;
  FakeOlares olares;
  Path tokenFile;

  @BeforeEach
  void start() throws Exception {
    olares = FakeOlares.start("alice", Clock.systemUTC());
    olares.serviceAccount("sa-myapp", APP);
    olares.grantProvider(APP, FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
    olares
        .registerApp(APP, "app-key-1", "app-secret-1")
        .grantSysData(
            "secret",
            "secret.infisical",
            "v1",
            "RetrieveSecret?workspace=myapp",
            "CreateSecret?workspace=myapp",
            "UpdateSecret?workspace=myapp",
            "ListSecret?workspace=myapp",
            "DeleteSecret?workspace=myapp",
            "RetrieveSecret?workspace=shared");
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "sa-myapp");
    olares.secrets().put("alice", "shared", "prod", "API_KEY", "shared-value");
    olares.secrets().put("alice", "other", "prod", "DB_ADMIN", "other-apps-value");
  }

  @AfterEach
  void stop() {
    olares.close();
  }

  private StoreConfig gen2() {
    return new StoreConfig(
        "os",
        "olares-secret",
        Map.of(
            "generation", "2",
            "endpoint", olares.secretProviderUrl().toString(),
            "tokenFile", tokenFile.toString()));
  }

  private StoreConfig gen1() {
    return new StoreConfig(
        "os",
        "olares-secret",
        Map.of(
            "generation", "1",
            "appKey", "app-key-1",
            "appSecret", "app-secret-1",
            "systemServer", olares.systemServerHost()));
  }

  private SecretStore open(StoreConfig config) {
    return new OlaresSecretStoreProvider().open(config, StoreContext.system(APP));
  }

  @Test
  void theAppsOwnWorkspaceHoldsApplicationCredentialsAndOthersHoldCredentials() {
    try (SecretStore store = open(gen2())) {
      var own = store.describe(SecretRef.parse("os://myapp/prod/TOKEN"), APP);
      assertThat(own.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
      assertThat(own.owner()).isEqualTo(APP);
      var other = store.describe(SecretRef.parse("os://shared/prod/API_KEY"), APP);
      assertThat(other.classification()).isEqualTo(Classification.CREDENTIAL);
      assertThat(other.permission().op()).isEqualTo("RetrieveSecret?workspace=shared");
    }
  }

  @Test
  void bothGenerationsCreateUpdateReadListAndDelete() {
    for (StoreConfig config : List.of(gen1(), gen2())) {
      try (SecretStore store = open(config)) {
        SecretRef ref = SecretRef.parse("os://myapp/prod/TOKEN");
        AccessContext ctx = AccessContext.of(APP, io.olares.secrets.Operation.WRITE);
        try (SecretValue v = SecretValue.ofString("first " + config.options().get("generation"))) {
          store.write(ref, v, ctx);
        }
        try (SecretValue v = SecretValue.ofString("second")) {
          store.write(ref, v, ctx);
        }
        try (Secret s = store.read(ref, ctx).orElseThrow()) {
          assertThat(s.value().revealString()).isEqualTo("second");
        }
        assertThat(store.list(SecretRef.parsePrefix("os://myapp"), ctx))
            .extracting(i -> i.ref().toString())
            .contains("os://myapp/prod/TOKEN");
        assertThat(store.delete(ref, ctx)).isTrue();
        assertThat(store.read(ref, ctx)).isEmpty();
        assertThat(store.delete(ref, ctx)).isFalse();
      }
    }
  }

  @Test
  void generationOneReadsAnotherWorkspaceItWasGrantedThroughSystemServer() {
    try (SecretStore store = open(gen1());
        Secret s =
            store
                .read(
                    SecretRef.parse("os://shared/prod/API_KEY"),
                    AccessContext.of(APP, io.olares.secrets.Operation.READ))
                .orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("shared-value");
    }
    assertThat(olares.requestLines())
        .anyMatch(
            l -> l.contains("/system-server/v1alpha1/secret/secret.infisical/v1/RetrieveSecret"));
  }

  @Test
  void aReadOfAnotherAppsWorkspaceWithoutAGrantIsDeniedBeforeAnyNetworkCall() {
    PolicyConfig policy = PolicyConfig.empty().withApp(APP).withUser("alice");
    try (Secrets secrets =
        Secrets.builder()
            .app(APP)
            .user("alice")
            .store(open(gen2()))
            .policy(new DefaultPolicy(policy))
            .build()) {
      olares.resetCounts();
      assertThatThrownBy(() -> secrets.get("os://other/prod/DB_ADMIN"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageNotContaining("other-apps-value");
      assertThat(olares.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }
  }

  @Test
  void aMatchingSysDataGrantOpensAnotherWorkspaceAndTheServerRuleDecides() {
    PolicyConfig policy =
        PolicyConfig.empty()
            .withApp(APP)
            .withGrants(
                List.of(
                    new Grant.SysDataGrant(
                        null,
                        "secret",
                        "secret.infisical",
                        "v1",
                        List.of("RetrieveSecret?workspace=shared"),
                        null,
                        null,
                        null,
                        null)));
    try (Secrets secrets =
        Secrets.builder().app(APP).store(open(gen1())).policy(new DefaultPolicy(policy)).build()) {
      try (Secret s = secrets.get("os://shared/prod/API_KEY")) {
        assertThat(s.value().revealString()).isEqualTo("shared-value");
        assertThat(s.classification()).isEqualTo(Classification.CREDENTIAL);
      }
      assertThatThrownBy(() -> secrets.get("os://other/prod/DB_ADMIN"))
          .isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void badReferencesAndBinaryValuesAreRefusedBeforeAnyCall() {
    try (SecretStore store = open(gen2())) {
      AccessContext ctx = AccessContext.of(APP, io.olares.secrets.Operation.WRITE);
      olares.resetCounts();
      assertThatThrownBy(() -> store.read(SecretRef.parse("os://myapp/live/X"), ctx))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining("environment 'live'");
      assertThatThrownBy(() -> store.read(SecretRef.parse("os://My_App/prod/X"), ctx))
          .isInstanceOf(InvalidReferenceException.class);
      assertThatThrownBy(() -> store.read(SecretRef.parse("os://myapp/prod/a/b"), ctx))
          .isInstanceOf(InvalidReferenceException.class);
      try (SecretValue binary = SecretValue.ofBytes(new byte[] {(byte) 0xff, 0})) {
        assertThatThrownBy(() -> store.write(SecretRef.parse("os://myapp/prod/B"), binary, ctx))
            .isInstanceOf(SecretsException.class)
            .hasMessageContaining("not UTF-8");
      }
      assertThat(olares.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }
  }
}
