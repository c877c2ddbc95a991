package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.support.Await;
import io.olares.secrets.k8s.support.KubeFixture;
import io.olares.secrets.spi.AccessContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesWatchTest {
  private static final String NS = "myapp-alice";
  private static final AccessContext READ = AccessContext.of("myapp", Operation.READ);
  private static final SecretRef DB = SecretRef.of("k8s", NS, "db");

  private final BlockingQueue<SecretRef> changes = new LinkedBlockingQueue<>();
  private FakeKubeApiServer fake;
  private ApiClient client;
  private KubernetesSecretStore store;

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
    fake.putKeys(NS, "db", Map.of("password", "p1".getBytes(UTF_8)));
    fake.putKeys(NS, "other", Map.of("k", "v".getBytes(UTF_8)));
    client = KubeFixture.client(fake, null);
    store =
        KubernetesSecretStore.builder(client)
            .name("k8s")
            .watchBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
  }

  @AfterEach
  void stop() {
    store.close();
    KubeFixture.release(client);
    fake.close();
  }

  private AutoCloseable subscribe() {
    AutoCloseable handle = store.watch(changes::add).orElseThrow();
    Await.until("a watch is streaming", () -> fake.activeWatches() == 1);
    return handle;
  }

  private SecretRef nextChange() throws InterruptedException {
    SecretRef ref = changes.poll(20, TimeUnit.SECONDS);
    assertThat(ref).as("a change notification").isNotNull();
    return ref;
  }

  private void readDb() {
    store.read(SecretRef.parse("k8s://myapp-alice/db#password"), READ).orElseThrow().close();
  }

  @Test
  void aChangeToASecretThatWasReadIsReported() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));

      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  @Test
  void theRemovalOfASecretThatWasReadIsReported() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      fake.deleteDirectly(NS, "db");

      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  @Test
  void changesToSecretsNeverReadAreNotReported() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      fake.putKeys(NS, "other", Map.of("k", "changed".getBytes(UTF_8)));
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));

      // events arrive in order: had "other" been reported, it would come first
      assertThat(nextChange()).isEqualTo(DB);
      assertThat(changes).isEmpty();
    }
  }

  @Test
  void aChangeBetweenTheReadAndTheSubscriptionIsReportedByTheFirstList() throws Exception {
    readDb();
    fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));

    try (AutoCloseable handle = store.watch(changes::add).orElseThrow()) {
      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  @Test
  void anExpiredWatchRelistsAndReportsWhatChangedMeanwhile() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      long listsBefore = lists();
      fake.pauseWatches();
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));
      fake.expireWatches();

      assertThat(nextChange()).isEqualTo(DB);
      assertThat(lists()).isGreaterThan(listsBefore);
      Await.until("the watch resumes", () -> fake.activeWatches() == 1);
      fake.putKeys(NS, "db", Map.of("password", "p3".getBytes(UTF_8)));
      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  @Test
  void aDroppedWatchReconnectsAndMissesNothing() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      long watchesBefore = fake.watchRequests();
      fake.pauseWatches();
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));
      fake.dropWatches();

      // the reconnect resumes from the last version seen and replays the change it missed
      assertThat(nextChange()).isEqualTo(DB);
      assertThat(fake.watchRequests()).isGreaterThan(watchesBefore);
    }
  }

  @Test
  void aWatchThatKeepsFailingIsRetriedWithBackoff() throws Exception {
    readDb();
    try (AutoCloseable handle = subscribe()) {
      fake.failNext(3, 503);
      fake.dropWatches();

      Await.until(
          "the watch is back after three refused attempts", () -> fake.activeWatches() == 1);
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));
      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  @Test
  void closingTheLastSubscriptionStopsTheWatches() throws Exception {
    readDb();
    AutoCloseable handle = subscribe();
    assertThat(store.watchedNamespaces()).containsExactly(NS);

    handle.close();

    assertThat(store.watchedNamespaces()).isEmpty();
    Await.until(
        "the watch thread ends",
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("olares-secrets-watch-" + NS)));
  }

  @Test
  void aNamespaceIsWatchedOnceAReadTouchesItWhileSubscribed() throws Exception {
    try (AutoCloseable handle = store.watch(changes::add).orElseThrow()) {
      assertThat(store.watchedNamespaces()).isEmpty();
      readDb();
      Await.until("a watch is streaming", () -> fake.activeWatches() == 1);
      fake.putKeys(NS, "db", Map.of("password", "p2".getBytes(UTF_8)));
      assertThat(nextChange()).isEqualTo(DB);
    }
  }

  private long lists() {
    List<String> all = fake.requests();
    return all.stream()
        .filter(r -> r.startsWith("GET /api/v1/namespaces/myapp-alice/secrets?"))
        .filter(r -> !r.contains("watch="))
        .count();
  }
}
