package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.support.KubeFixture;
import io.olares.secrets.spi.AccessContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two writers, each with its own store and client, update different keys of one Secret at the same
 * time. Every state the server went through is checked: each writer's key only moves forward, so no
 * write ever put back another writer's older value, and every single update is seen.
 */
class ConcurrentWritersTest {
  private static final String NS = "myapp-alice";
  private static final AccessContext WRITE = AccessContext.of("myapp", Operation.WRITE);

  private FakeKubeApiServer fake;
  private final List<ApiClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
  }

  @AfterEach
  void stop() {
    clients.forEach(KubeFixture::release);
    fake.close();
  }

  @Test
  void twoWritersOfDifferentKeysLoseNothingOverAThousandUpdatesEach() throws Exception {
    runWriters(1000);
  }

  private void runWriters(int updates) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      CompletableFuture<Void> a = CompletableFuture.runAsync(() -> write("a", updates, go), pool);
      CompletableFuture<Void> b = CompletableFuture.runAsync(() -> write("b", updates, go), pool);
      go.countDown();
      CompletableFuture.allOf(a, b).get();
    } finally {
      pool.shutdown();
    }

    Map<String, byte[]> last = fake.data(NS, "shared");
    assertThat(new String(last.get("a"), UTF_8)).isEqualTo("a-" + (updates - 1));
    assertThat(new String(last.get("b"), UTF_8)).isEqualTo("b-" + (updates - 1));
    assertEveryUpdateSeenAndNoneUndone(updates);
  }

  private void write(String key, int updates, CountDownLatch go) {
    ApiClient client = KubeFixture.client(fake, null);
    synchronized (clients) {
      clients.add(client);
    }
    try (KubernetesSecretStore store = KubernetesSecretStore.builder(client).build()) {
      go.await();
      SecretRef ref = SecretRef.parse("k8s://myapp-alice/shared#" + key);
      for (int i = 0; i < updates; i++) {
        store.write(ref, SecretValue.ofString(key + "-" + i), WRITE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void assertEveryUpdateSeenAndNoneUndone(int updates) {
    Map<String, Integer> latest = new java.util.HashMap<>(Map.of("a", -1, "b", -1));
    Map<String, Set<Integer>> seen = Map.of("a", new HashSet<>(), "b", new HashSet<>());
    for (Map<String, byte[]> state : fake.dataHistory(NS, "shared")) {
      for (String key : List.of("a", "b")) {
        byte[] v = state.get(key);
        int index = v == null ? -1 : Integer.parseInt(new String(v, UTF_8).substring(2));
        assertThat(index)
            .as("key %s never goes back to an older value", key)
            .isGreaterThanOrEqualTo(latest.get(key));
        latest.put(key, index);
        if (index >= 0) {
          seen.get(key).add(index);
        }
      }
    }
    assertThat(seen.get("a")).hasSize(updates);
    assertThat(seen.get("b")).hasSize(updates);
  }
}
