package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Olares' secret.infisical ops through the provider transport, both generations. */
class OlaresSecretStoreTest {
  private static final String SA_TOKEN = "sa-token-of-myapp";
  private static final AccessContext CTX = AccessContext.of("myapp", Operation.READ);

  private final FakeOlares olares = FakeOlares.start();
  @TempDir Path dir;

  @AfterEach
  void close() {
    olares.close();
  }

  /** A store of generation {@code gen} for app myapp, granted the ops on {@code workspaces}. */
  private SecretStore store(int gen) throws Exception {
    Map<String, Object> options;
    if (gen == 1) {
      olares
          .registerApp("myapp", "key-myapp", "secret-myapp")
          .grantSysData(
              "secret",
              "secret.infisical",
              "v1",
              "RetrieveSecret?workspace=myapp",
              "CreateSecret?workspace=myapp",
              "UpdateSecret?workspace=myapp",
              "DeleteSecret?workspace=myapp",
              "ListSecret?workspace=myapp",
              "RetrieveSecret?workspace=shared");
      options =
          Map.of(
              "generation", "1",
              "appKey", "key-myapp",
              "appSecret", "secret-myapp",
              "systemServer", olares.systemServerHost());
    } else {
      olares.serviceAccount(SA_TOKEN, "myapp");
      olares.grantProvider(
          "myapp", FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
      Path token = dir.resolve("token");
      Files.writeString(token, SA_TOKEN);
      options =
          Map.of(
              "generation", "2",
              "tokenFile", token.toString(),
              "endpoint", olares.secretProviderUrl().toString());
    }
    StoreContext context = new StoreContext("myapp", olares.user(), olares.clock(), n -> null, dir);
    return new OlaresSecretStoreProvider()
        .open(new StoreConfig("secret", "olares-secret", options), context);
  }

  private static String read(SecretStore store, String ref) {
    try (Secret s = store.read(SecretRef.parse(ref), CTX).orElseThrow()) {
      return s.value().revealString();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void writesReadsListsAndDeletesInTheAppsOwnWorkspace(int gen) throws Exception {
    try (SecretStore store = store(gen)) {
      store.write(
          SecretRef.parse("secret://myapp/prod/API_TOKEN"), SecretValue.ofString("t-1"), CTX);
      store.write(
          SecretRef.parse("secret://myapp/prod/API_TOKEN"), SecretValue.ofString("t-2 é"), CTX);
      store.write(
          SecretRef.parse("secret://myapp/dev/OTHER"),
          SecretValue.ofBytes(new byte[] {0, -1}),
          CTX);

      assertThat(read(store, "secret://myapp/prod/API_TOKEN")).isEqualTo("t-2 é");
      assertThat(olares.secrets().get(olares.user(), "myapp", "prod", "API_TOKEN"))
          .contains("t-2 é");
      try (Secret s = store.read(SecretRef.parse("secret://myapp/dev/OTHER"), CTX).orElseThrow()) {
        assertThat(s.value().revealBytes()).containsExactly(0, -1);
        assertThat(s.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
      }
      assertThat(store.list(SecretRef.parsePrefix("secret://myapp"), CTX))
          .extracting(i -> i.ref().toString())
          .containsExactlyInAnyOrder("secret://myapp/prod/API_TOKEN", "secret://myapp/dev/OTHER");
      assertThat(store.delete(SecretRef.parse("secret://myapp/prod/API_TOKEN"), CTX)).isTrue();
      assertThat(store.delete(SecretRef.parse("secret://myapp/prod/API_TOKEN"), CTX)).isFalse();
      assertThat(store.read(SecretRef.parse("secret://myapp/prod/API_TOKEN"), CTX)).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aMissingWorkspaceOrSecretReadsAsEmpty(int gen) throws Exception {
    try (SecretStore store = store(gen)) {
      assertThat(store.read(SecretRef.parse("secret://myapp/prod/NOPE"), CTX)).isEmpty();
      assertThat(store.list(SecretRef.parsePrefix("secret://myapp/prod"), CTX)).isEmpty();
    }
  }

  @Test
  void describeTellsOwnCredentialsFromAnotherWorkspacesAndNamesTheOp() throws Exception {
    try (SecretStore store = store(2)) {
      ResourceInfo own = store.describe(SecretRef.parse("secret://myapp/prod/K"), "myapp");
      ResourceInfo other = store.describe(SecretRef.parse("secret://shared/prod/K"), "myapp");
      ResourceInfo list = store.describe(SecretRef.parsePrefix("secret://shared/prod"), "myapp");

      assertThat(own.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
      assertThat(own.owner()).isEqualTo("myapp");
      assertThat(other.classification()).isEqualTo(Classification.CREDENTIAL);
      assertThat(other.permission())
          .isEqualTo(
              ProviderPermission.sysData(
                  "secret", "secret.infisical", "v1", "RetrieveSecret?workspace=shared"));
      assertThat(list.permission().op()).isEqualTo("ListSecret?workspace=shared");
      assertThat(OlaresSecretStore.permission("shared", Operation.DELETE).op())
          .isEqualTo("DeleteSecret?workspace=shared");
      SecretRef shared = SecretRef.parse("secret://shared/prod/K");
      assertThat(store.describe(shared, "myapp", Operation.WRITE).permission().op())
          .isEqualTo("CreateSecret?workspace=shared");
      assertThat(store.describe(shared, "myapp", Operation.DELETE).permission().op())
          .isEqualTo("DeleteSecret?workspace=shared");
      assertThat(store.describe(shared, "myapp", Operation.READ)).isEqualTo(other);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void anotherAppsWorkspaceWithoutAGrantIsDeniedBeforeAnyNetworkCall(int gen) throws Exception {
    olares.secrets().put(olares.user(), "otherapp", "prod", "TOKEN", "theirs");
    try (Secrets secrets =
        Secrets.builder()
            .app("myapp")
            .discovery(false)
            .store(store(gen))
            .policy(new DefaultPolicy(PolicyConfig.empty().withApp("myapp")))
            .audit(e -> {})
            .build()) {
      olares.resetCounts();

      assertThatThrownBy(() -> secrets.get("secret://otherapp/prod/TOKEN"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("RetrieveSecret?workspace=otherapp")
          .hasMessageNotContaining("theirs");

      assertThat(olares.requestLines()).isEmpty();
      assertThat(olares.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }
  }

  @Test
  void generationOneReadsAGrantedWorkspaceThroughSystemServer() throws Exception {
    olares.secrets().put(olares.user(), "shared", "prod", "API_KEY", "shared-value");
    try (SecretStore store = store(1)) {
      assertThat(read(store, "secret://shared/prod/API_KEY")).isEqualTo("shared-value");
    }
    assertThat(olares.requestLines())
        .anyMatch(
            l ->
                l.contains(
                    "/system-server/v1alpha1/secret/secret.infisical/v1/RetrieveSecret?workspace=shared"));
  }

  @Test
  void aManifestGrantForTheWorkspaceLetsTheReadThrough() throws Exception {
    olares.secrets().put(olares.user(), "shared", "prod", "TOKEN", "shared-value");
    PolicyConfig policy =
        PolicyConfig.empty()
            .withApp("myapp")
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
        Secrets.builder()
            .app("myapp")
            .discovery(false)
            .store(store(1))
            .policy(new DefaultPolicy(policy))
            .audit(e -> {})
            .build()) {
      try (Secret s = secrets.get("secret://shared/prod/TOKEN")) {
        assertThat(s.value().revealString()).isEqualTo("shared-value");
        assertThat(s.classification()).isEqualTo(Classification.CREDENTIAL);
      }
      assertThatThrownBy(() -> secrets.get("secret://elsewhere/prod/TOKEN"))
          .isInstanceOf(AccessDeniedException.class);

      // The grant names RetrieveSecret: writing or deleting in that workspace needs its own op,
      // and the facade refuses before any request is made.
      olares.resetCounts();
      try (SecretValue v = SecretValue.ofString("overwritten")) {
        assertThatThrownBy(() -> secrets.put("secret://shared/prod/TOKEN", v))
            .isInstanceOf(AccessDeniedException.class)
            .hasMessageContaining("CreateSecret?workspace=shared");
      }
      assertThatThrownBy(() -> secrets.delete("secret://shared/prod/TOKEN"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("DeleteSecret?workspace=shared");
      assertThat(olares.requestLines()).isEmpty();
      assertThat(olares.secrets().get(olares.user(), "shared", "prod", "TOKEN"))
          .contains("shared-value");
    }
  }

  @Test
  void system_serverRefusesAnOpTheManifestDoesNotGrant() throws Exception {
    olares.secrets().put(olares.user(), "shared", "prod", "TOKEN", "x");
    try (SecretStore store = store(1)) {
      assertThatThrownBy(
              () ->
                  store.write(
                      SecretRef.parse("secret://shared/prod/TOKEN"),
                      SecretValue.ofString("y"),
                      CTX))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(olares.secrets().get(olares.user(), "shared", "prod", "TOKEN")).contains("x");
    }
  }

  @Test
  void referencesOutsideTheProvidersShapeAreRefused() throws Exception {
    try (SecretStore store = store(2)) {
      for (String bad :
          List.of(
              "secret://myapp/prod/a/b",
              "secret://myapp/qa/K",
              "secret://My_App/prod/K",
              "secret://myapp/prod/K?version=2",
              "secret://myapp/prod/K#f")) {
        assertThatThrownBy(() -> store.read(SecretRef.parse(bad), CTX))
            .as(bad)
            .isInstanceOf(InvalidReferenceException.class);
      }
      assertThat(olares.requestLines()).isEmpty();
    }
  }
}
