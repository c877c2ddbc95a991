package io.olares.secrets.k8s.support;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;

/** Points the official client at a fake API server on 127.0.0.1. */
public final class KubeFixture {
  private KubeFixture() {}

  /** A client for {@code fake}, optionally with a bearer token. */
  public static ApiClient client(FakeKubeApiServer fake, String token) {
    ApiClient client = new ClientBuilder().setBasePath(fake.basePath()).build();
    if (token != null) {
      client.setApiKeyPrefix("Bearer");
      client.setApiKey(token);
    }
    return client;
  }

  /** Releases a client's threads and connections. */
  public static void release(ApiClient client) {
    client.getHttpClient().dispatcher().executorService().shutdown();
    client.getHttpClient().connectionPool().evictAll();
  }
}
