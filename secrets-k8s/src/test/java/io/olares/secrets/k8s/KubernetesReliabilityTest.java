package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.support.KubeFixture;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.testing.fault.FaultProxy;
import io.olares.secrets.testing.fault.FaultProxy.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes store against the fake API server behind a fault proxy: every network fault ends
 * in the documented outcome after the stated number of calls (reads repeat transient failures — no
 * answer, a reset, an answer that does not parse, 429, 5xx — up to three times; a 401 is refused at
 * once), and sixteen threads of mixed reads, writes and deletes on their own keys of shared Secrets
 * end in the state their sequential models say.
 */
@Tag("reliability")
class KubernetesReliabilityTest {
  private static final String NS = "myapp-alice";
  private static final String SECRET_PATH = "/api/v1/namespaces/" + NS + "/secrets/s";
  private static final AccessContext READ = AccessContext.of("myapp", Operation.READ);
  private static final AccessContext WRITE = AccessContext.of("myapp", Operation.WRITE);
  private static final AccessContext DELETE = AccessContext.of("myapp", Operation.DELETE);

  private FakeKubeApiServer fake;
  private FaultProxy proxy;
  private ApiClient client;
  private KubernetesSecretStore store;

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
    fake.putKeys(NS, "s", Map.of("k", "v1".getBytes(UTF_8)));
    proxy = new FaultProxy(HttpUrl.get(fake.basePath()));
    client =
        new io.kubernetes.client.util.ClientBuilder()
            .setBasePath(proxy.url("/").toString())
            .build();
    client.setReadTimeout(1000);
    store = KubernetesSecretStore.builder(client).name("k8s").app("myapp").build();
  }

  @AfterEach
  void stop() {
    store.close();
    KubeFixture.release(client);
    proxy.close();
    fake.close();
  }

  private String read() {
    try (Secret s = store.read(SecretRef.parse("k8s://" + NS + "/s#k"), READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  @Test
  void transientFaultsOnAReadAreRepeatedOnceEach() {
    for (Fault fault :
        List.of(
            Fault.reset(),
            Fault.noAnswer(),
            Fault.status(429, 1),
            Fault.status(500, 1),
            Fault.status(503, null))) {
      proxy.resetCounts();
      proxy.inject(SECRET_PATH, fault, 1);

      assertThat(read()).as(fault.kind()).isEqualTo("v1");
      assertThat(proxy.calls(SECRET_PATH)).as("calls after %s", fault.kind()).isEqualTo(2);
    }
  }

  @Test
  void aPersistentServerErrorStopsAfterFourCalls() {
    proxy.inject(SECRET_PATH, Fault.status(500, null), 10);

    assertThatThrownBy(this::read).isInstanceOf(StoreUnavailableException.class);
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(4);
  }

  @Test
  void aSlowBodyWithinTheReadTimeoutIsReadInOneCall() {
    proxy.inject(SECRET_PATH, Fault.slowBody(Duration.ofMillis(1)), 1);

    assertThat(read()).isEqualTo("v1");
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(1);
  }

  @Test
  void aBodySlowerThanTheReadTimeoutIsRepeatedLikeAnyTimeout() {
    proxy.inject(SECRET_PATH, Fault.slowBody(Duration.ofMillis(1500)), 1);

    assertThat(read()).isEqualTo("v1");
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(2);
  }

  @Test
  void aMalformedAnswerCountsAsNoAnswerAndIsRepeated() {
    proxy.inject(SECRET_PATH, Fault.malformedJson(), 1);

    assertThat(read()).isEqualTo("v1");
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(2);
  }

  @Test
  void malformedAnswersBeyondTheBudgetAreUnavailableWithoutTheBody() {
    proxy.inject(SECRET_PATH, Fault.malformedJson(), 4);

    assertThatThrownBy(this::read)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageNotContaining("\"data\"");
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(4);
  }

  @Test
  void a401MidRunIsAccessDeniedWithoutRepeatingTheCall() {
    assertThat(read()).isEqualTo("v1");
    proxy.inject(SECRET_PATH, Fault.unauthorized(), 1);

    assertThatThrownBy(this::read).isInstanceOf(AccessDeniedException.class);
    assertThat(proxy.calls(SECRET_PATH)).isEqualTo(2);
    assertThat(read()).isEqualTo("v1");
  }

  @Test
  void sixteenThreadsOfMixedOperationsEndAsTheirSequentialModelsSay() throws Exception {
    int threads = 16;
    int ops = 60;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Map<String, String>>> models = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      models.add(
          pool.submit(
              () -> {
                Random random = new Random(thread);
                Map<String, String> model = new HashMap<>();
                go.await();
                for (int op = 0; op < ops; op++) {
                  // four shared Secrets; each thread owns its keys in them
                  String key = "t" + thread + "-k" + random.nextInt(3);
                  SecretRef ref =
                      SecretRef.parse("k8s://" + NS + "/shared-" + (thread % 4) + "#" + key);
                  int kind = random.nextInt(10);
                  if (kind < 5) {
                    Optional<Secret> found = store.read(ref, READ);
                    String got = found.map(KubernetesReliabilityTest::reveal).orElse(null);
                    assertThat(got)
                        .as("thread %d op %d %s", thread, op, ref)
                        .isEqualTo(model.get(key));
                  } else if (kind < 8) {
                    String value = "v-" + thread + "-" + op;
                    store.write(ref, SecretValue.ofString(value), WRITE);
                    model.put(key, value);
                  } else {
                    store.delete(ref, DELETE);
                    model.remove(key);
                  }
                }
                return model;
              }));
    }
    go.countDown();
    Map<String, String> expected = new HashMap<>();
    for (int t = 0; t < threads; t++) {
      for (Map.Entry<String, String> e : models.get(t).get(5, TimeUnit.MINUTES).entrySet()) {
        expected.put((t % 4) + "/" + e.getKey(), e.getValue());
      }
    }
    pool.shutdown();

    Map<String, String> actual = new HashMap<>();
    for (int s = 0; s < 4; s++) {
      Map<String, byte[]> data = fake.data(NS, "shared-" + s);
      if (data != null) {
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
          actual.put(s + "/" + e.getKey(), new String(e.getValue(), UTF_8));
        }
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static String reveal(Secret s) {
    try (s) {
      return s.value().revealString();
    }
  }
}
