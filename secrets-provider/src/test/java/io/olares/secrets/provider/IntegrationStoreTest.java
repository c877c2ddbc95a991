package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.olares.FakeIntegrationProvider;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationStoreTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String RANDOM_KEY = "0123456789abcdef0123456789abcdef";
  private static final String RETRIEVE = "proxy integration/api/account/retrieve";
  private static final AccessContext READ = AccessContext.of("photoframe", Operation.READ);

  @TempDir Path dir;
  private FakeOlares fake;
  private FakeIntegrationProvider accounts;
  private SecretStore store;

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeOlares.start("alice", Clock.fixed(NOW, ZoneOffset.UTC));
    fake.registerApp("photoframe", "k", "s")
        .serviceAccount("sa-token")
        .grantProvider(FakeOlares.INTEGRATION_PROVIDER_APP, FakeOlares.INTEGRATION_PROVIDER_NAME);
    fake.randomKey(RANDOM_KEY);
    accounts = fake.integrations();
    Files.writeString(dir.resolve("token"), "sa-token");
  }

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    fake.close();
  }

  private SecretStore open(Map<String, Object> options, Map<String, String> env) {
    StoreContext context =
        new StoreContext("photoframe", "alice", Clock.fixed(NOW, ZoneOffset.UTC), env::get, dir);
    store =
        new IntegrationStoreProvider()
            .open(new StoreConfig("integration", "olares-integration", options), context);
    return store;
  }

  private SecretStore current() {
    Map<String, Object> options = new HashMap<>();
    options.put("endpoint", fake.integrationProviderUrl().toString());
    options.put("tokenFile", dir.resolve("token").toString());
    return open(options, Map.of());
  }

  private SecretStore legacy(String key) {
    return open(
        Map.of("api", "legacy"),
        Map.of("OS_SYSTEM_SERVER", fake.systemServerHost(), "APP_RANDOM_KEY", key));
  }

  private static String reveal(Optional<Secret> secret) {
    assertThat(secret).isPresent();
    try (Secret s = secret.get()) {
      return s.value().revealString();
    }
  }

  private static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  @Test
  void theProviderIsFoundByServiceLoaderUnderItsType() {
    assertThat(
            ServiceLoader.load(SecretStoreProvider.class).stream()
                .map(p -> p.get().type())
                .toList())
        .contains("olares-integration");
  }

  @Nested
  class CurrentApi {
    @Test
    void readsTheAccessTokenOfAConnectedAccountByDefault() {
      accounts
          .addAccount("alice", "google", "alice@gmail.com")
          .accessToken("ya29.CANARY")
          .refreshToken("1//refresh")
          .createAt(NOW.minusSeconds(600).toEpochMilli())
          .expiresAt(NOW.plusSeconds(3600).toEpochMilli());

      Optional<Secret> secret = current().read(ref("integration://google/alice@gmail.com"), READ);

      assertThat(secret.get().classification()).isEqualTo(Classification.INTEGRATION_CREDENTIAL);
      assertThat(secret.get().metadata().expires()).isEqualTo(NOW.plusSeconds(3600 - 15));
      assertThat(reveal(secret)).isEqualTo("ya29.CANARY");
      assertThat(reveal(store.read(ref("integration://google/alice@gmail.com#refreshToken"), READ)))
          .isEqualTo("1//refresh");
    }

    @Test
    void anS3AccountIsNamedByItsAccessKeyIdAndGivesTheSecretKey() {
      accounts
          .addAccount("alice", "awss3", "AKIAEXAMPLE")
          .accessToken("s3-secret-key")
          .field("endpoint", "https://s3.eu-west-1.amazonaws.com")
          .field("bucket", "photos");

      SecretStore s = current();

      assertThat(reveal(s.read(ref("integration://awss3/AKIAEXAMPLE"), READ)))
          .isEqualTo("s3-secret-key");
      assertThat(reveal(s.read(ref("integration://awss3/AKIAEXAMPLE#bucket"), READ)))
          .isEqualTo("photos");
      assertThat(s.read(ref("integration://awss3/AKIAEXAMPLE"), READ).get().metadata().expires())
          .isNull();
    }

    @Test
    void aTokenIsExpiredFifteenSecondsEarlyAndFetchedAgain() {
      accounts
          .addAccount("alice", "dropbox", "alice")
          .accessToken("old")
          .expiresAt(NOW.plusSeconds(15).toEpochMilli())
          .afterNextRetrieve(
              a -> a.accessToken("refreshed").expiresAt(NOW.plusSeconds(14_400).toEpochMilli()));

      assertThat(reveal(current().read(ref("integration://dropbox/alice"), READ)))
          .isEqualTo("refreshed");
      assertThat(fake.count(RETRIEVE)).isEqualTo(2);
    }

    @Test
    void aTokenSixteenSecondsFromExpiryIsStillServedWithoutAnotherFetch() {
      accounts
          .addAccount("alice", "dropbox", "alice")
          .accessToken("current")
          .expiresAt(NOW.plusSeconds(16).toEpochMilli());

      Secret secret = current().read(ref("integration://dropbox/alice"), READ).get();

      assertThat(secret.value().revealString()).isEqualTo("current");
      assertThat(secret.metadata().expires()).isEqualTo(NOW.plusSeconds(1));
      assertThat(fake.count(RETRIEVE)).isEqualTo(1);
    }

    @Test
    void aTokenSettingsHasNotRefreshedYetIsUnavailableForNow() {
      accounts
          .addAccount("alice", "google", "alice@gmail.com")
          .accessToken("stale-CANARY")
          .expiresAt(NOW.minusSeconds(5).toEpochMilli());

      assertThatThrownBy(() -> current().read(ref("integration://google/alice@gmail.com"), READ))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("has not refreshed it yet")
          .hasMessageNotContaining("CANARY");
      assertThat(fake.count(RETRIEVE)).isEqualTo(2);
    }

    @Test
    void anUnavailableAccountAsksTheUserToReconnectInSettings() {
      accounts
          .addAccount("alice", "google", "alice@gmail.com")
          .accessToken("dead-CANARY")
          .expiresAt(NOW.plusSeconds(3600).toEpochMilli())
          .available(false);

      assertThatThrownBy(() -> current().read(ref("integration://google/alice@gmail.com"), READ))
          .isInstanceOf(IntegrationReconnectRequiredException.class)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("google/alice@gmail.com")
          .hasMessageContaining("Settings")
          .hasMessageNotContaining("CANARY");
    }

    @Test
    void anExpiredOlaresSpaceTokenAsksTheUserToReconnect() {
      accounts
          .addAccount("alice", "space", "did:key:z6Mk")
          .accessToken("space-CANARY")
          .expiresAt(NOW.minusSeconds(60).toEpochMilli());

      assertThatThrownBy(() -> current().read(ref("integration://space/did:key:z6Mk"), READ))
          .isInstanceOf(IntegrationReconnectRequiredException.class)
          .hasMessageContaining("cannot refresh Olares Space tokens")
          .hasMessageNotContaining("CANARY");
    }

    @Test
    void aMissingAccountReadsAsAbsent() {
      assertThat(current().read(ref("integration://google/nobody@gmail.com"), READ)).isEmpty();
    }

    @Test
    void listShowsTheConnectedAccountsOfATypeWithoutValues() {
      accounts.addAccount("alice", "google", "a@gmail.com").accessToken("t1");
      accounts
          .addAccount("alice", "google", "b@gmail.com")
          .accessToken("t2")
          .expiresAt(NOW.plusSeconds(60).toEpochMilli())
          .available(false);
      accounts.addAccount("alice", "dropbox", "alice").accessToken("t3");
      accounts.addAccount("bob", "google", "bob@gmail.com").accessToken("t4");

      List<SecretInfo> listed = current().list(SecretRef.parsePrefix("integration://google"), READ);

      assertThat(listed)
          .extracting(i -> i.ref().toString())
          .containsExactly("integration://google/a@gmail.com", "integration://google/b@gmail.com");
      assertThat(listed.get(1).metadata().expires()).isEqualTo(NOW.plusSeconds(45));
      assertThat(listed.get(1).metadata().labels()).containsEntry("available", "false");
      assertThat(listed.toString()).doesNotContain("t1", "t2");
    }

    @Test
    void referencesAreCheckedForTypeAndField() {
      SecretStore s = current();

      assertThatThrownBy(() -> s.read(ref("integration://github/alice"), READ))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining("space, google, dropbox, awss3, tencent");
      assertThatThrownBy(() -> s.read(ref("integration://google/alice#password"), READ))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining("accessToken");
    }

    @Test
    void describeNamesTheIntegrationProviderPermission() {
      ResourceInfo info = current().describe(ref("integration://google/a@gmail.com"), "photoframe");

      assertThat(info.classification()).isEqualTo(Classification.INTEGRATION_CREDENTIAL);
      assertThat(info.permission().providerApp()).isEqualTo("integration");
      assertThat(info.permission().providerName()).isEqualTo("account");
    }

    @Test
    void theStoreIsReadOnly() {
      SecretStore s = current();

      assertThatThrownBy(
              () ->
                  s.write(
                      ref("integration://google/a@gmail.com"),
                      SecretValue.ofString("x"),
                      AccessContext.of("photoframe", Operation.WRITE)))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("read-only");
    }

    @Test
    void anAppWithoutTheProviderGrantIsDenied() throws IOException {
      fake.registerApp("other", "k2", "s2").serviceAccount("other-token");
      Files.writeString(dir.resolve("token"), "other-token");

      assertThatThrownBy(() -> current().read(ref("integration://google/a@gmail.com"), READ))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("HTTP 403");
    }

    @Test
    void withoutAUserTheStoreCannotOpen() {
      StoreContext context =
          new StoreContext("photoframe", null, Clock.systemUTC(), k -> null, dir);
      assertThatThrownBy(
              () ->
                  new IntegrationStoreProvider()
                      .open(
                          new StoreConfig("integration", "olares-integration", Map.of()), context))
          .isInstanceOf(io.olares.secrets.ConfigurationException.class)
          .hasMessageContaining("'user'");
    }
  }

  @Nested
  class LegacyApi {
    @Test
    void readsSnakeCaseRawDataWithATerminusNonce() {
      accounts
          .addAccount("alice", "awss3", "AKIALEGACY")
          .accessToken("legacy-secret-key")
          .createAt(NOW.minusSeconds(100).toEpochMilli())
          .expiresAt(NOW.plusSeconds(3600).toEpochMilli());

      Secret secret = legacy(RANDOM_KEY).read(ref("integration://awss3/AKIALEGACY"), READ).get();

      assertThat(secret.value().revealString()).isEqualTo("legacy-secret-key");
      assertThat(secret.metadata().expires()).isEqualTo(NOW.plusSeconds(3600 - 15));
      assertThat(fake.count("legacy api/account/retrieve")).isEqualTo(1);
    }

    @Test
    void anExpiredLegacyTokenIsFetchedAgain() {
      accounts
          .addAccount("alice", "google", "a@gmail.com")
          .accessToken("old")
          .expiresAt(NOW.plusSeconds(10).toEpochMilli())
          .afterNextRetrieve(
              a -> a.accessToken("new").expiresAt(NOW.plusSeconds(3600).toEpochMilli()));

      assertThat(reveal(legacy(RANDOM_KEY).read(ref("integration://google/a@gmail.com"), READ)))
          .isEqualTo("new");
      assertThat(fake.count("legacy api/account/retrieve")).isEqualTo(2);
    }

    @Test
    void listUsesTheAllEndpoint() {
      accounts.addAccount("alice", "dropbox", "alice").accessToken("t");

      assertThat(legacy(RANDOM_KEY).list(SecretRef.parsePrefix("integration://dropbox"), READ))
          .extracting(i -> i.ref().toString())
          .containsExactly("integration://dropbox/alice");
      assertThat(fake.count("legacy api/account/all")).isEqualTo(1);
    }

    @Test
    void aWrongRandomKeyIsRefused() {
      accounts.addAccount("alice", "dropbox", "alice").accessToken("t");

      assertThatThrownBy(
              () ->
                  legacy("ffffffffffffffffffffffffffffffff")
                      .read(ref("integration://dropbox/alice"), READ))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("HTTP 401");
    }

    @Test
    void anUnavailableLegacyAccountAsksToReconnect() {
      accounts
          .addAccount("alice", "google", "a@gmail.com")
          .accessToken("t")
          .expiresAt(NOW.plus(Duration.ofHours(1)).toEpochMilli())
          .available(false);

      assertThatThrownBy(
              () -> legacy(RANDOM_KEY).read(ref("integration://google/a@gmail.com"), READ))
          .isInstanceOf(IntegrationReconnectRequiredException.class);
    }
  }
}
