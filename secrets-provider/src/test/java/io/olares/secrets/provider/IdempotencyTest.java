package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdempotencyTest {

  @ParameterizedTest(name = "{0}/{1} is {2}")
  @CsvSource({
    "secret.infisical, RetrieveSecret?workspace=a, READ",
    "secret.infisical, ListSecret?workspace=a, READ",
    "secret.infisical, ListSecret, READ",
    "secret.infisical, UpdateSecret?workspace=a, IDEMPOTENT",
    "secret.infisical, CreateSecret?workspace=a, UNSAFE",
    "secret.infisical, DeleteSecret?workspace=a, UNSAFE",
    "secret.infisical, RotateSecret?workspace=a, UNSAFE",
    "api.ollama, RetrieveSecret, UNSAFE",
    "api.ollama, All, UNSAFE"
  })
  void providerOpsAreClassifiedByWhatTheProtocolSaysTheyDo(
      String group, String op, Idempotency kind) {
    assertThat(Idempotency.of(ProviderOp.of("secret", group, "v1", op))).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "GET, READ",
    "head, READ",
    "OPTIONS, READ",
    "PUT, IDEMPOTENT",
    "DELETE, IDEMPOTENT",
    "POST, UNSAFE",
    "PATCH, UNSAFE"
  })
  void httpMethodsAreClassifiedAsRfc9110DefinesThem(String method, Idempotency kind) {
    assertThat(Idempotency.ofMethod(method)).isEqualTo(kind);
  }
}
