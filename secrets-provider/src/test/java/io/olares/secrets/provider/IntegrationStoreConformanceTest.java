package io.olares.secrets.provider;

import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The read side of the conformance kit against the fake integration provider. The store is
 * read-only, so the kit's values are seeded as Google accounts whose access token is the value;
 * listing needs folders, which integration references do not have, and is tested in {@link
 * IntegrationStoreTest}.
 */
class IntegrationStoreConformanceTest extends SecretStoreConformanceTest {
  private static FakeOlares fake;
  private static Path home;

  @BeforeAll
  static void startFake() throws IOException {
    fake = FakeOlares.start();
    fake.registerApp("conformance", "k", "s")
        .serviceAccount("sa-conformance")
        .grantProvider(FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
    home = Files.createTempDirectory("integration-conformance");
    Files.writeString(home.resolve("token"), "sa-conformance");
  }

  @AfterAll
  static void stopFake() throws IOException {
    fake.close();
    Files.deleteIfExists(home.resolve("token"));
    Files.deleteIfExists(home);
  }

  @Override
  protected SecretStore createStore() {
    StoreContext context =
        new StoreContext("conformance", "alice", Clock.systemUTC(), k -> null, home);
    return new IntegrationStoreProvider()
        .open(
            new StoreConfig(
                "integration",
                IntegrationStoreProvider.TYPE,
                Map.of(
                    "endpoint", fake.integrationProviderUrl().toString(),
                    "tokenFile", home.resolve("token").toString())),
            context);
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("integration", "google", name);
  }

  @Override
  protected Set<Feature> features() {
    return EnumSet.noneOf(Feature.class);
  }

  @Override
  protected void seed(SecretRef ref, SecretValue value) {
    fake.integrations()
        .addAccount("alice", ref.container(), ref.path().get(0))
        .accessToken(value.revealString());
  }
}
