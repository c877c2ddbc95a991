package io.olares.secrets.testing.fake.infisical;

import java.util.Map;

/**
 * A request the fake received, for assertions about what a client sent. The body is kept as sent
 * and may hold secret values: this is test data.
 *
 * @param route the route it was counted under
 * @param method the HTTP method
 * @param path the decoded path
 * @param query the decoded query parameters (first value of each)
 * @param authorization the {@code Authorization} header, or null
 * @param body the request body as UTF-8 text, empty where none
 * @param receivedNanos {@link System#nanoTime()} when the request arrived, for order and spacing
 */
public record RecordedCall(
    Route route,
    String method,
    String path,
    Map<String, String> query,
    String authorization,
    String body,
    long receivedNanos) {

  /** Copies the query. */
  public RecordedCall {
    query = Map.copyOf(query);
  }

  @Override
  public String toString() {
    return "RecordedCall[" + method + " " + path + " " + query.keySet() + "]";
  }
}
