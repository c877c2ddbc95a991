/**
 * The pod-secret tier: Kubernetes Secrets through the official client (store type {@code
 * kubernetes}), the in-pod view of injected environment variables and mounted Secret volumes (store
 * type {@code pod}), and chart tools that render Secret manifests and scan Helm charts.
 *
 * <p>The Kubernetes client ships as automatic modules ({@code io.kubernetes.client.java} and {@code
 * io.kubernetes.client.java.api}); they are required by those names.
 */
module io.olares.secrets.k8s {
  requires transitive io.olares.secrets.api;
  requires transitive io.kubernetes.client.java.api;
  requires io.kubernetes.client.java;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;

  exports io.olares.secrets.k8s;
  exports io.olares.secrets.k8s.chart;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.k8s.KubernetesStoreProvider,
      io.olares.secrets.k8s.PodStoreProvider;
}
