package io.olares.secrets.infisical;

import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@code olares-secret} store over generation-2 provider access (service-account token, direct
 * routes) passes the SPI conformance kit against the in-process Olares fake. Values are text, as
 * the secret provider keeps them.
 */
class OlaresSecretStoreConformanceTest extends SecretStoreConformanceTest {
  static final String APP = "conformance";
  private static FakeOlares olares;
  private static Path tokenFile;

  @BeforeAll
  static void startFake() throws Exception {
    olares = FakeOlares.start("alice", Clock.systemUTC());
    olares.serviceAccount("sa-token-conformance", APP);
    olares.grantProvider(APP, FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
    tokenFile = Files.createTempFile("sa-token", "");
    Files.writeString(tokenFile, "sa-token-conformance");
  }

  @AfterAll
  static void stopFake() throws Exception {
    olares.close();
    Files.deleteIfExists(tokenFile);
  }

  @Override
  protected SecretStore createStore() {
    return new OlaresSecretStoreProvider()
        .open(
            new StoreConfig(
                "os",
                "olares-secret",
                Map.of(
                    "generation", "2",
                    "endpoint", olares.secretProviderUrl().toString(),
                    "tokenFile", tokenFile.toString())),
            StoreContext.system(APP));
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("os", APP, "prod", name);
  }

  @Override
  protected SecretRef ref(String folder, String name) {
    return SecretRef.of("os", folder, "dev", name);
  }

  @Override
  protected SecretRef listPrefix(String folder) {
    return SecretRef.of("os", folder, java.util.List.of("dev"), null, null);
  }

  @Override
  protected String app() {
    return APP;
  }

  @Override
  protected Set<Feature> features() {
    Set<Feature> f = EnumSet.allOf(Feature.class);
    f.remove(Feature.BINARY);
    return f;
  }
}
