package io.olares.secrets.infisical;

import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Infisical store, with projects named by id, passes the SPI conformance kit. */
class InfisicalStoreConformanceTest extends SecretStoreConformanceTest {
  static final String PROJECT = "0b6d2c1a-5d1e-4c7b-9f55-2e8e6f0d4a10";
  static final String SLUG = "conformance";

  private static InfisicalFake fake;

  @BeforeAll
  static void startFake() {
    fake =
        InfisicalFake.builder()
            .project(PROJECT, SLUG)
            .environments(PROJECT, "dev")
            .universalAuth("conf-client", "conf-secret")
            .start();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  /** How references name the project. */
  protected String project() {
    return PROJECT;
  }

  @Override
  protected SecretStore createStore() {
    InfisicalOptions options =
        InfisicalOptions.builder(
                fake.url(),
                InfisicalAuth.universal("conf-client", SecretValue.ofString("conf-secret")))
            .callTimeout(Duration.ofSeconds(20))
            .build();
    return InfisicalStore.open("infisical", options, StoreContext.system(app()));
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("infisical", project(), "dev", name);
  }

  @Override
  protected int maxValueBytes() {
    return InfisicalStore.MAX_BINARY_VALUE_BYTES;
  }
}
