package io.olares.secrets.k8s;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.SecretRef;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.k8s.support.KubeFixture;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import java.time.Duration;
import java.util.List;

/**
 * The SPI conformance kit against the kubernetes store and the fake API server. Each secret of the
 * kit is key {@code value} of its own Secret; a kit "folder" is one Secret whose keys are the
 * folder's names, so listing the folder lists the Secret's keys.
 */
class KubernetesStoreConformanceTest extends SecretStoreConformanceTest {
  private static final String NS = "conformance-alice";

  private FakeKubeApiServer fake;
  private ApiClient client;

  @Override
  protected SecretStore createStore() {
    fake = FakeKubeApiServer.start().createNamespace(NS);
    client = KubeFixture.client(fake, null);
    return KubernetesSecretStore.builder(client)
        .name("k8s")
        .app(app())
        .watchBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .build();
  }

  @Override
  protected void closeStore(SecretStore store) {
    store.close();
    KubeFixture.release(client);
    fake.close();
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("k8s", NS, List.of(name), null, "value");
  }

  @Override
  protected SecretRef ref(String folder, String name) {
    return SecretRef.of("k8s", NS, List.of(folder), null, name);
  }

  @Override
  protected SecretRef listPrefix(String folder) {
    return SecretRef.of("k8s", NS, folder);
  }
}
