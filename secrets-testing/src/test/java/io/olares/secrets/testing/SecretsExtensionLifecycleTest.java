package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each test method gets its own facade and stores, closed when the method ends. */
@WithSecrets(grants = "mem://a/**")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsExtensionLifecycleTest {
  private static Secrets fromTheFirstTest;
  private Secrets fromBeforeEach;

  @BeforeEach
  void setUp(Secrets secrets) {
    fromBeforeEach = secrets;
  }

  @Test
  @Order(1)
  void theFirstTestWritesASecret(Secrets secrets) {
    assertThat(secrets).isSameAs(fromBeforeEach);
    secrets.put("mem://a/left-behind", SecretValue.ofString("v"));
    fromTheFirstTest = secrets;
  }

  @Test
  @Order(2)
  void theNextTestStartsAfreshAndTheOldFacadeIsClosed(Secrets secrets) {
    assertThat(secrets).isNotSameAs(fromTheFirstTest);
    assertThat(secrets.find("mem://a/left-behind")).isEmpty();
    assertThatThrownBy(() -> fromTheFirstTest.find("mem://a/left-behind"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
