package io.olares.secrets.k8s;

import io.kubernetes.client.openapi.ApiClient;
import io.olares.secrets.Classification;
import io.olares.secrets.k8s.internal.Connections;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.time.Duration;
import java.util.Set;

/**
 * Opens {@link KubernetesSecretStore}s (type {@code kubernetes}).
 *
 * <p>Options: {@code kubeconfig} (file; default {@code $KUBECONFIG}, then {@code ~/.kube/config}),
 * {@code context}; or {@code inCluster: true} with {@code server} (default from {@code
 * KUBERNETES_SERVICE_HOST}/{@code _PORT}), {@code tokenFile} and {@code caFile} (default: the
 * service account's mounted files; the token is re-read when the kubelet rotates it). Behaviour:
 * {@code requestTimeout} (30s), {@code conditionalWrites} (false: key-only merge patches; true:
 * patches conditional on the read resourceVersion), {@code conflictRetries} (10), {@code
 * listSelector}, {@code labelCreated} (true), {@code watchNamespaces}, {@code watchTimeout} (5m),
 * {@code watchBackoff} (1s) and {@code watchBackoffMax} (30s).
 */
public final class KubernetesStoreProvider implements SecretStoreProvider {
  /** Creates the provider; cheap, as discovery requires. */
  public KubernetesStoreProvider() {}

  @Override
  public String type() {
    return KubernetesSecretStore.TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.POD_SECRET);
  }

  @Override
  public String description() {
    return "Kubernetes Secrets through the API server (k8s://<namespace>/<secret>#<key>)";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    Duration requestTimeout = config.duration("requestTimeout").orElse(Duration.ofSeconds(30));
    int conflictRetries = config.integer("conflictRetries").orElse(10);
    if (conflictRetries < 0) {
      throw config.bad("conflictRetries", "must not be negative");
    }
    Duration watchTimeout = config.duration("watchTimeout").orElse(Duration.ofMinutes(5));
    if (watchTimeout.toSeconds() < 1) {
      throw config.bad("watchTimeout", "must be at least 1s");
    }
    Duration backoff = config.duration("watchBackoff").orElse(Duration.ofSeconds(1));
    Duration backoffMax = config.duration("watchBackoffMax").orElse(Duration.ofSeconds(30));
    if (backoffMax.compareTo(backoff) < 0) {
      throw config.bad("watchBackoffMax", "must not be shorter than watchBackoff");
    }
    ApiClient client = Connections.open(config, context, requestTimeout);
    try {
      return KubernetesSecretStore.builder(client)
          .name(config.name())
          .app(context.app())
          .conflictRetries(conflictRetries)
          .conditionalWrites(config.bool("conditionalWrites").orElse(false))
          .labelCreated(config.bool("labelCreated").orElse(true))
          .listSelector(config.string("listSelector").orElse(null))
          .watchTimeout(watchTimeout)
          .watchBackoff(backoff, backoffMax)
          .watchNamespaces(config.list("watchNamespaces"))
          .onClose(() -> release(client))
          .build();
    } catch (RuntimeException e) {
      release(client);
      throw e;
    }
  }

  private static void release(ApiClient client) {
    client.getHttpClient().dispatcher().executorService().shutdown();
    client.getHttpClient().connectionPool().evictAll();
  }
}
