package io.olares.secrets.infisical;

import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Olares secret store passes the SPI conformance kit against the fake secret provider
 * (generation 2). Folders of the kit are workspaces: the provider has no folders.
 */
class OlaresSecretStoreConformanceTest extends SecretStoreConformanceTest {
  private static FakeOlares olares;
  private static Path token;

  @BeforeAll
  static void start() throws Exception {
    olares = FakeOlares.start();
    olares.serviceAccount("sa-conformance", "conformance");
    olares.grantProvider(
        "conformance", FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
    token = Files.createTempFile("olares-sa", ".token");
    Files.writeString(token, "sa-conformance");
  }

  @AfterAll
  static void stop() throws Exception {
    olares.close();
    Files.deleteIfExists(token);
  }

  @Override
  protected SecretStore createStore() {
    Map<String, Object> options =
        Map.of(
            "generation", "2",
            "tokenFile", token.toString(),
            "endpoint", olares.secretProviderUrl().toString());
    return new OlaresSecretStoreProvider()
        .open(new StoreConfig("secret", "olares-secret", options), StoreContext.system(app()));
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("secret", "conformance", "prod", name);
  }

  @Override
  protected SecretRef ref(String folder, String name) {
    return SecretRef.of("secret", folder, "prod", name);
  }

  @Override
  protected SecretRef listPrefix(String folder) {
    return SecretRef.of("secret", folder, java.util.List.of("prod"), null, null);
  }

  /** Fewer than the kit's 16: every exchange with the fake costs tens of milliseconds. */
  @Override
  protected int writesPerThread() {
    return 4;
  }

  @Override
  protected int maxValueBytes() {
    return InfisicalStore.MAX_BINARY_VALUE_BYTES;
  }
}
