/** The pod-secret tier over Kubernetes. */
module io.olares.secrets.k8s {
  requires transitive io.olares.secrets.api;
}
