package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.internal.KubeCallException;
import io.olares.secrets.k8s.internal.KubeJson;
import io.olares.secrets.k8s.internal.SecretsApi;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretInfo;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Full CRUD, conflicts and watches against a real cluster. Runs only where {@code KUBECONFIG_IT}
 * names a kubeconfig; {@code KUBECONFIG_IT_CONTEXT} picks a context and {@code
 * KUBECONFIG_IT_NAMESPACE} an existing namespace (default {@code default}) where the test may
 * create and delete Secrets named {@code olares-secrets-it-*}.
 */
class RealClusterTest {
  private static final AccessContext WRITE = AccessContext.of("olares-secrets-it", Operation.WRITE);
  private static final AccessContext READ = AccessContext.of("olares-secrets-it", Operation.READ);

  private ApiClient client;
  private KubernetesSecretStore store;
  private String namespace;
  private String secret;

  @BeforeEach
  void connect() throws Exception {
    String kubeconfig = System.getenv("KUBECONFIG_IT");
    if (kubeconfig == null || kubeconfig.isBlank()) {
      String reason = "KUBECONFIG_IT is not set: the real-cluster test is skipped";
      System.out.println(reason);
      assumeTrue(false, reason);
    }
    KubeConfig kc;
    try (Reader r = Files.newBufferedReader(Path.of(kubeconfig))) {
      kc = KubeConfig.loadKubeConfig(r);
    }
    kc.setFile(Path.of(kubeconfig).toAbsolutePath().toFile());
    String context = System.getenv("KUBECONFIG_IT_CONTEXT");
    if (context != null && !context.isBlank()) {
      assertThat(kc.setContext(context)).as("context %s", context).isTrue();
    }
    client = ClientBuilder.kubeconfig(kc).build();
    namespace = System.getenv().getOrDefault("KUBECONFIG_IT_NAMESPACE", "default");
    secret = "olares-secrets-it-" + HexFormat.of().formatHex(randomBytes(4));
    store =
        KubernetesSecretStore.builder(client)
            .app("olares-secrets-it")
            .watchBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (store != null) {
      store.delete(ref(null), WRITE);
      store.delete(SecretRef.of("k8s", namespace, secret + "-frozen"), WRITE);
      store.close();
    }
  }

  private SecretRef ref(String key) {
    return SecretRef.of("k8s", namespace, List.of(secret), null, key);
  }

  @Test
  void createsReadsListsUpdatesAndDeletesExactBytes() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    store.write(ref("all.bin"), SecretValue.ofBytes(all), WRITE);
    store.write(ref("text"), SecretValue.ofString("first"), WRITE);
    store.write(ref("text"), SecretValue.ofString("second"), WRITE);

    try (Secret s = store.read(ref("all.bin"), READ).orElseThrow()) {
      assertThat(s.value().revealBytes()).isEqualTo(all);
    }
    try (Secret s = store.read(ref("text"), READ).orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("second");
    }
    List<SecretInfo> keys = store.list(ref(null), READ);
    assertThat(keys)
        .extracting(i -> i.ref().field().orElseThrow())
        .containsExactly("all.bin", "text");

    assertThat(store.delete(ref("text"), WRITE)).isTrue();
    assertThat(store.read(ref("text"), READ)).isEmpty();
    assertThat(store.delete(ref(null), WRITE)).isTrue();
    assertThat(store.read(ref("all.bin"), READ)).isEmpty();
  }

  @Test
  void aStaleResourceVersionIsAConflictAndWritersOfDifferentKeysLoseNothing() throws Exception {
    store.write(ref("seed"), SecretValue.ofString("x"), WRITE);
    SecretsApi api = new SecretsApi(client, Duration.ofMinutes(1), Duration.ofSeconds(30));
    String stale = api.read(namespace, secret).orElseThrow().resourceVersion();
    store.write(ref("seed"), SecretValue.ofString("y"), WRITE);

    KubeCallException conflict = null;
    try {
      api.mergePatch(namespace, secret, KubeJson.keyPatch(stale, "seed", "z".getBytes(UTF_8)));
    } catch (KubeCallException e) {
      conflict = e;
    }
    assertThat(conflict).isNotNull();
    assertThat(conflict.conflict()).isTrue();

    CompletableFuture<Void> a = CompletableFuture.runAsync(() -> writeMany("a", 50));
    CompletableFuture<Void> b = CompletableFuture.runAsync(() -> writeMany("b", 50));
    CompletableFuture.allOf(a, b).get(5, TimeUnit.MINUTES);
    try (Secret s = store.read(ref("a"), READ).orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("a-49");
    }
    try (Secret s = store.read(ref("b"), READ).orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("b-49");
    }
  }

  @Test
  void aWatcherHearsOfAnotherClientsChangeAndOfTheDeletion() throws Exception {
    store.write(ref("k"), SecretValue.ofString("v1"), WRITE);
    store.read(ref("k"), READ).orElseThrow().close();
    BlockingQueue<SecretRef> heard = new LinkedBlockingQueue<>();
    try (AutoCloseable handle = store.watch(heard::add).orElseThrow();
        KubernetesSecretStore other = KubernetesSecretStore.builder(client).build()) {
      other.write(ref("k"), SecretValue.ofString("v2"), WRITE);
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo(ref(null));

      other.delete(ref(null), WRITE);
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo(ref(null));
    }
  }

  @Test
  void anImmutableSecretRefusesChanges() throws Exception {
    new CoreV1Api(client)
        .createNamespacedSecret(
            namespace,
            new V1Secret()
                .metadata(new V1ObjectMeta().name(secret + "-frozen"))
                .immutable(true)
                .data(Map.of("k", "x".getBytes(UTF_8))))
        .execute();

    assertThatThrownBy(
            () ->
                store.write(
                    SecretRef.of("k8s", namespace, List.of(secret + "-frozen"), null, "k"),
                    SecretValue.ofString("y"),
                    WRITE))
        .isInstanceOf(ImmutableSecretException.class);
  }

  private void writeMany(String key, int count) {
    for (int i = 0; i < count; i++) {
      store.write(ref(key), SecretValue.ofString(key + "-" + i), WRITE);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
