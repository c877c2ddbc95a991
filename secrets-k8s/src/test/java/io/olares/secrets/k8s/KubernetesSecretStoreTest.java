package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.support.KubeFixture;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesSecretStoreTest {
  private static final String NS = "myapp-alice";
  private static final AccessContext WRITE = AccessContext.of("myapp", Operation.WRITE);
  private static final AccessContext READ = AccessContext.of("myapp", Operation.READ);

  private FakeKubeApiServer fake;
  private ApiClient client;
  private KubernetesSecretStore store;

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
    client = KubeFixture.client(fake, null);
    store = KubernetesSecretStore.builder(client).name("k8s").app("myapp").build();
  }

  @AfterEach
  void stop() {
    store.close();
    KubeFixture.release(client);
    fake.close();
  }

  private static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  private String readString(String ref) {
    try (Secret s = store.read(ref(ref), READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  @Test
  void everyByteValueRoundTripsExactly() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    store.write(ref("k8s://myapp-alice/blobs#all.bin"), SecretValue.ofBytes(all), WRITE);

    assertThat(fake.data(NS, "blobs").get("all.bin")).isEqualTo(all);
    try (Secret s = store.read(ref("k8s://myapp-alice/blobs#all.bin"), READ).orElseThrow()) {
      assertThat(s.value().equalsConstantTime(all)).isTrue();
      assertThat(s.classification()).isEqualTo(Classification.POD_SECRET);
    }
  }

  @Test
  void readsTheBytesAnotherWriterStoredWithTheirVersionAndLabels() {
    fake.putKeys(
        NS,
        "myapp-secrets",
        Map.of(
            "DATABASE_URL",
            "postgres://u:p%40ss@db:5432/app".getBytes(UTF_8),
            "blob.bin",
            new byte[] {0, (byte) 0xff, (byte) 0xfe, 1}));

    assertThat(readString("k8s://myapp-alice/myapp-secrets#DATABASE_URL"))
        .isEqualTo("postgres://u:p%40ss@db:5432/app");
    try (Secret blob = store.read(ref("k8s://myapp-alice/myapp-secrets#blob.bin"), READ).get()) {
      assertThat(blob.value().revealBytes()).containsExactly(0, 0xff, 0xfe, 1);
      assertThat(blob.metadata().version()).isEqualTo(fake.resourceVersion(NS, "myapp-secrets"));
      assertThat(blob.metadata().created()).isNotNull();
    }
  }

  @Test
  void fieldsANewerApiServerAddsDoNotBreakReadsListsOrWrites() {
    fake.sendFutureFields(true);
    try {
      fake.putKeys(NS, "s", Map.of("k", "v".getBytes(UTF_8)));

      assertThat(readString("k8s://myapp-alice/s#k")).isEqualTo("v");
      assertThat(store.list(SecretRef.parsePrefix("k8s://myapp-alice"), READ)).hasSize(1);
      store.write(ref("k8s://myapp-alice/s#k2"), SecretValue.ofString("w"), WRITE);
      assertThat(readString("k8s://myapp-alice/s#k2")).isEqualTo("w");
    } finally {
      fake.sendFutureFields(false);
    }
  }

  @Test
  void aMissingSecretOrKeyReadsAsEmpty() {
    fake.putKeys(NS, "present", Map.of("a", "1".getBytes(UTF_8)));

    assertThat(store.read(ref("k8s://myapp-alice/absent#a"), READ)).isEmpty();
    assertThat(store.read(ref("k8s://myapp-alice/present#b"), READ)).isEmpty();
  }

  @Test
  void aFirstWriteCreatesTheSecretLabelledWithTheApp() {
    store.write(ref("k8s://myapp-alice/fresh#token"), SecretValue.ofString("t0"), WRITE);

    assertThat(fake.labels(NS, "fresh")).containsEntry(KubernetesSecretStore.APP_LABEL, "myapp");
    assertThat(readString("k8s://myapp-alice/fresh#token")).isEqualTo("t0");
  }

  @Test
  void writingOneKeyLeavesTheOtherKeysAlone() {
    fake.putKeys(NS, "s", Map.of("a", "1".getBytes(UTF_8), "b", "2".getBytes(UTF_8)));

    store.write(ref("k8s://myapp-alice/s#a"), SecretValue.ofString("changed"), WRITE);

    assertThat(fake.data(NS, "s")).containsOnlyKeys("a", "b");
    assertThat(new String(fake.data(NS, "s").get("b"), UTF_8)).isEqualTo("2");
    assertThat(new String(fake.data(NS, "s").get("a"), UTF_8)).isEqualTo("changed");
  }

  @Test
  void aKeyChangedByAnotherWriterBetweenReadAndPatchSurvivesTheWrite() {
    fake.putKeys(NS, "s", Map.of("mine", "old".getBytes(UTF_8)));
    fake.afterNextGet(() -> fake.putKeys(NS, "s", Map.of("theirs", "new".getBytes(UTF_8))));

    store.write(ref("k8s://myapp-alice/s#mine"), SecretValue.ofString("mine-new"), WRITE);

    assertThat(new String(fake.data(NS, "s").get("theirs"), UTF_8)).isEqualTo("new");
    assertThat(new String(fake.data(NS, "s").get("mine"), UTF_8)).isEqualTo("mine-new");
    assertThat(fake.conflicts()).isZero();
  }

  @Test
  void aConditionalWriteRereadsAndRetriesAfterAConflict() {
    KubernetesSecretStore conditional =
        KubernetesSecretStore.builder(client).conditionalWrites(true).build();
    fake.putKeys(NS, "s", Map.of("mine", "old".getBytes(UTF_8)));
    fake.afterNextGet(() -> fake.putKeys(NS, "s", Map.of("theirs", "new".getBytes(UTF_8))));

    conditional.write(ref("k8s://myapp-alice/s#mine"), SecretValue.ofString("mine-new"), WRITE);

    assertThat(fake.conflicts()).isEqualTo(1);
    assertThat(fake.requestCount("PATCH ")).isEqualTo(2);
    assertThat(fake.requestCount("GET ")).isEqualTo(2);
    assertThat(new String(fake.data(NS, "s").get("theirs"), UTF_8)).isEqualTo("new");
    assertThat(new String(fake.data(NS, "s").get("mine"), UTF_8)).isEqualTo("mine-new");
    conditional.close();
  }

  @Test
  void aConditionalWriteGivesUpAfterTheBoundedNumberOfConflicts() {
    KubernetesSecretStore conditional =
        KubernetesSecretStore.builder(client).conditionalWrites(true).conflictRetries(2).build();
    fake.putKeys(NS, "s", Map.of("mine", "old".getBytes(UTF_8)));
    // each of the three reads is followed by another writer's change
    for (int i = 0; i < 3; i++) {
      int n = i;
      fake.afterNextGet(() -> fake.putKeys(NS, "s", Map.of("theirs", new byte[] {(byte) n})));
    }

    assertThatThrownBy(
            () ->
                conditional.write(
                    ref("k8s://myapp-alice/s#mine"), SecretValue.ofString("never"), WRITE))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("myapp-alice/s")
        .hasMessageContaining("409")
        .hasMessageNotContaining("never");
    assertThat(new String(fake.data(NS, "s").get("mine"), UTF_8)).isEqualTo("old");
    conditional.close();
  }

  @Test
  void aCreateThatRacesAnotherCreateBecomesAnUpdate() {
    fake.afterNextGet(() -> fake.putKeys(NS, "raced", Map.of("theirs", "x".getBytes(UTF_8))));

    store.write(ref("k8s://myapp-alice/raced#mine"), SecretValue.ofString("y"), WRITE);

    assertThat(fake.data(NS, "raced")).containsOnlyKeys("mine", "theirs");
  }

  @Test
  void anInvalidKeyIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(
            () ->
                store.write(ref("k8s://myapp-alice/s#bad%2Fkey"), SecretValue.ofString("v"), WRITE))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("bad/key")
        .hasMessageContaining("[-._a-zA-Z0-9]+");
    assertThatThrownBy(
            () -> store.write(ref("k8s://myapp-alice/s#..x"), SecretValue.ofString("v"), WRITE))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(
            () ->
                store.write(ref("k8s://myapp-alice/Bad_Name#k"), SecretValue.ofString("v"), WRITE))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("RFC 1123");
    assertThatThrownBy(() -> store.read(ref("k8s://My_Namespace/s#k"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("namespace");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aValueOverOneMebibyteIsRefusedBeforeAnythingIsSent() {
    SecretValue big = SecretValue.ofBytes(new byte[1024 * 1024 + 1]);

    assertThatThrownBy(() -> store.write(ref("k8s://myapp-alice/s#big"), big, WRITE))
        .isInstanceOfSatisfying(
            SecretRejectedException.class,
            e -> {
              assertThat(e.refusedLocally()).isTrue();
              assertThat(e.getMessage()).contains("1048577").contains("1 MiB");
            });
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aKeyThatWouldTakeTheSecretOverOneMebibyteIsRefusedAndNothingChanges() {
    fake.putKeys(NS, "s", Map.of("first", new byte[600 * 1024]));

    assertThatThrownBy(
            () ->
                store.write(
                    ref("k8s://myapp-alice/s#second"),
                    SecretValue.ofBytes(new byte[500 * 1024]),
                    WRITE))
        .isInstanceOf(SecretRejectedException.class)
        .hasMessageContaining("myapp-alice/s");
    assertThat(fake.data(NS, "s")).containsOnlyKeys("first");
    assertThat(fake.requestCount("PATCH ")).isZero();
  }

  @Test
  void anImmutableSecretIsExplainedAndLeftUnchanged() {
    fake.putImmutable(NS, "frozen", Map.of("k", "x".getBytes(UTF_8)));

    assertThatThrownBy(
            () -> store.write(ref("k8s://myapp-alice/frozen#k"), SecretValue.ofString("y"), WRITE))
        .isInstanceOf(ImmutableSecretException.class)
        .hasMessageContaining("immutable")
        .hasMessageContaining("delete it and create it again");
    assertThatThrownBy(() -> store.delete(ref("k8s://myapp-alice/frozen#k"), WRITE))
        .isInstanceOf(ImmutableSecretException.class);
    assertThat(new String(fake.data(NS, "frozen").get("k"), UTF_8)).isEqualTo("x");

    assertThat(store.delete(ref("k8s://myapp-alice/frozen"), WRITE)).isTrue();
    assertThat(fake.data(NS, "frozen")).isNull();
  }

  @Test
  void aForbiddenNamespacePassesTheServersMessageOn() {
    fake.createNamespace("other-bob").forbid("other-bob");

    assertThatThrownBy(() -> store.read(ref("k8s://other-bob/db#password"), READ))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("403")
        .hasMessageContaining(
            "secrets \"db\" is forbidden: User \"tester\" cannot get resource \"secrets\" in API"
                + " group \"\" in the namespace \"other-bob\"");
    assertThatThrownBy(() -> store.list(SecretRef.parsePrefix("k8s://other-bob"), READ))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("cannot list resource");
  }

  @Test
  void anUnknownTokenIsAnAccessDenial() {
    fake.acceptToken("good", "alice");
    ApiClient wrongToken = KubeFixture.client(fake, "bad");
    try (KubernetesSecretStore s = KubernetesSecretStore.builder(wrongToken).build()) {
      assertThatThrownBy(() -> s.read(ref("k8s://myapp-alice/x#k"), READ))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("401");
    } finally {
      KubeFixture.release(wrongToken);
    }
  }

  @Test
  void writingIntoAMissingNamespaceSaysSo() {
    assertThatThrownBy(
            () -> store.write(ref("k8s://ghost-ns/s#k"), SecretValue.ofString("v"), WRITE))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("namespaces \"ghost-ns\" not found");
  }

  @Test
  void transientFailuresAreRetried() {
    fake.putKeys(NS, "s", Map.of("k", "v".getBytes(UTF_8)));
    fake.failNext(2, 503);

    assertThat(readString("k8s://myapp-alice/s#k")).isEqualTo("v");
  }

  @Test
  void persistentUnavailabilityIsReportedAsRetryable() {
    fake.failNext(10, 503);

    assertThatThrownBy(() -> store.read(ref("k8s://myapp-alice/s#k"), READ))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("503");
  }

  @Test
  void deletingAKeyKeepsTheOthersAndReportsWhetherItExisted() {
    fake.putKeys(NS, "s", Map.of("a", "1".getBytes(UTF_8), "b", "2".getBytes(UTF_8)));

    assertThat(store.delete(ref("k8s://myapp-alice/s#a"), WRITE)).isTrue();
    assertThat(store.delete(ref("k8s://myapp-alice/s#a"), WRITE)).isFalse();
    assertThat(store.delete(ref("k8s://myapp-alice/nothing#a"), WRITE)).isFalse();
    assertThat(fake.data(NS, "s")).containsOnlyKeys("b");
  }

  @Test
  void deletingTheWholeSecretReportsWhetherItExisted() {
    fake.putKeys(NS, "s", Map.of("a", "1".getBytes(UTF_8)));

    assertThat(store.delete(ref("k8s://myapp-alice/s"), WRITE)).isTrue();
    assertThat(store.delete(ref("k8s://myapp-alice/s"), WRITE)).isFalse();
    assertThat(fake.data(NS, "s")).isNull();
  }

  @Test
  void aReferenceWithoutKeyNamesTheWholeSecretWhichListsItsKeys() {
    fake.putKeys(NS, "s", Map.of("b", "2".getBytes(UTF_8), "a", "1".getBytes(UTF_8)));

    assertThatThrownBy(() -> store.read(ref("k8s://myapp-alice/s"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("#<key>");
    List<SecretInfo> keys = store.list(ref("k8s://myapp-alice/s"), READ);
    assertThat(keys)
        .extracting(i -> i.ref().toString())
        .containsExactly("k8s://myapp-alice/s#a", "k8s://myapp-alice/s#b");
    assertThat(keys)
        .allSatisfy(i -> assertThat(i.classification()).isEqualTo(Classification.POD_SECRET));
  }

  @Test
  void listingANamespacePagesThroughEveryKeyOfEverySecret() {
    KubernetesSecretStore paged = KubernetesSecretStore.builder(client).pageSize(2).build();
    for (int i = 0; i < 5; i++) {
      fake.putKeys(NS, "s" + i, Map.of("k", new byte[] {1}, "l", new byte[] {2}));
    }

    List<SecretInfo> all = paged.list(SecretRef.parsePrefix("k8s://myapp-alice"), READ);

    assertThat(all).hasSize(10);
    assertThat(all.get(0).ref().toString()).isEqualTo("k8s://myapp-alice/s0#k");
    assertThat(fake.requests().stream().filter(r -> r.contains("continue="))).hasSize(2);
    paged.close();
  }

  @Test
  void describeClassifiesAsPodSecretOwnedByTheNamespaceWithoutCallingTheServer() {
    ResourceInfo info = store.describe(ref("k8s://other-bob/db#password"), "myapp");

    assertThat(info.classification()).isEqualTo(Classification.POD_SECRET);
    assertThat(info.owner()).isEqualTo("other-bob");
    assertThat(info.permissionOpt()).isEmpty();
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void referencesWithVersionsOrExtraSegmentsAreRefused() {
    assertThatThrownBy(() -> store.read(ref("k8s://myapp-alice/s?version=3#k"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("versions");
    assertThatThrownBy(() -> store.read(ref("k8s://myapp-alice/s/t#k"), READ))
        .isInstanceOf(InvalidReferenceException.class);
  }

  @Test
  void noFailureMessageRepeatsTheValue() {
    String canary = "canary-7f3a9c";
    fake.putImmutable(NS, "frozen", Map.of("k", canary.getBytes(UTF_8)));
    byte[] big = Arrays.copyOf(canary.getBytes(UTF_8), 1024 * 1024 + 1);
    List<Runnable> failing =
        List.of(
            () ->
                store.write(ref("k8s://myapp-alice/frozen#k"), SecretValue.ofString(canary), WRITE),
            () -> store.write(ref("k8s://myapp-alice/s#big"), SecretValue.ofBytes(big), WRITE),
            () -> store.write(ref("k8s://ghost-ns/s#k"), SecretValue.ofString(canary), WRITE));
    for (Runnable r : failing) {
      assertThatThrownBy(r::run)
          .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(canary));
    }
    Optional<Secret> s = store.read(ref("k8s://myapp-alice/frozen#k"), READ);
    assertThat(s.orElseThrow().toString()).doesNotContain(canary);
  }
}
