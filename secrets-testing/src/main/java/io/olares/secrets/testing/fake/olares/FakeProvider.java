package io.olares.secrets.testing.fake.olares;

import com.fasterxml.jackson.databind.JsonNode;

/** A provider behind the fake system-server or proxy: answers one op for one user. */
@FunctionalInterface
public interface FakeProvider {
  /**
   * Answers {@code op} (with its query string, e.g. {@code RetrieveSecret?workspace=myapp}).
   *
   * @param op the op or path after the provider's prefix, with its query string
   * @param body the JSON request body (an empty object where none was sent)
   * @param user the Olares user the call is for
   */
  FakeReply handle(String op, JsonNode body, String user);
}
