package io.olares.secrets.infisical;

import static io.olares.secrets.infisical.Fixture.PROJECT;
import static io.olares.secrets.infisical.Fixture.READ;
import static io.olares.secrets.infisical.Fixture.WRITE;
import static io.olares.secrets.infisical.Fixture.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.testing.fake.infisical.RecordedCall;
import io.olares.secrets.testing.fake.infisical.Route;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfisicalStoreTest {
  private final Fixture fx = new Fixture();
  private final InfisicalStore store = fx.store();

  @AfterEach
  void close() {
    fx.close();
  }

  private String read(String ref) {
    try (Secret s = store.read(ref(ref), READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  @Test
  void writesThenReadsASecretByProjectIdEnvironmentAndName() {
    store.write(
        ref("infisical://" + PROJECT + "/dev/DB_PASSWORD"),
        SecretValue.ofString("s3cr3t-é✓"),
        WRITE);

    assertThat(read("infisical://" + PROJECT + "/dev/DB_PASSWORD")).isEqualTo("s3cr3t-é✓");
    assertThat(fx.fake.secretValue(PROJECT, "dev", "/", "DB_PASSWORD")).contains("s3cr3t-é✓");
  }

  @Test
  void aReadCarriesClassificationVersionAndTimes() {
    store.write(ref("infisical://shop/dev/API_KEY"), SecretValue.ofString("k1"), WRITE);
    store.write(ref("infisical://shop/dev/API_KEY"), SecretValue.ofString("k2"), WRITE);

    try (Secret s = store.read(ref("infisical://shop/dev/API_KEY"), READ).orElseThrow()) {
      assertThat(s.classification()).isEqualTo(Classification.CREDENTIAL);
      assertThat(s.metadata().version()).isEqualTo("2");
      assertThat(s.metadata().created()).isEqualTo(fx.clock.instant());
      assertThat(s.metadata().updated()).isEqualTo(fx.clock.instant());
    }
  }

  @Test
  void aSecondWriteUpdatesAndKeepsTheOldVersionReadable() {
    store.write(ref("infisical://shop/prod/TOKEN"), SecretValue.ofString("first"), WRITE);
    store.write(ref("infisical://shop/prod/TOKEN"), SecretValue.ofString("second"), WRITE);

    assertThat(read("infisical://shop/prod/TOKEN")).isEqualTo("second");
    assertThat(read("infisical://shop/prod/TOKEN?version=1")).isEqualTo("first");
    assertThat(fx.fake.secretVersions(PROJECT, "prod", "/", "TOKEN")).containsExactly(1, 2);
    assertThat(fx.fake.requests(Route.CREATE_SECRET)).isEqualTo(2);
    assertThat(fx.fake.requests(Route.UPDATE_SECRET)).isEqualTo(1);
  }

  @Test
  void aMissingSecretOrFolderOrEnvironmentReadsAsEmpty() {
    assertThat(store.read(ref("infisical://shop/dev/NOPE"), READ)).isEmpty();
    assertThat(store.read(ref("infisical://shop/dev/no/such/folder/NOPE"), READ)).isEmpty();
    assertThat(store.read(ref("infisical://shop/nosuch/NOPE"), READ)).isEmpty();
  }

  @Test
  void aWriteIntoNewFoldersCreatesThemFirst() {
    store.write(
        ref("infisical://shop/dev/payments/stripe/STRIPE_KEY"),
        SecretValue.ofString("sk_1"),
        WRITE);

    assertThat(fx.fake.secretValue(PROJECT, "dev", "/payments/stripe", "STRIPE_KEY"))
        .contains("sk_1");
    assertThat(fx.fake.requests(Route.CREATE_FOLDER)).isEqualTo(2);
    assertThat(read("infisical://shop/dev/payments/stripe/STRIPE_KEY")).isEqualTo("sk_1");
  }

  @Test
  void listsEverySecretBelowAPrefixWithoutValues() {
    store.write(ref("infisical://shop/dev/A"), SecretValue.ofString("a"), WRITE);
    store.write(ref("infisical://shop/dev/payments/B"), SecretValue.ofString("b"), WRITE);
    store.write(ref("infisical://shop/prod/C"), SecretValue.ofString("c"), WRITE);

    assertThat(store.list(ref("infisical://shop/dev"), READ))
        .extracting(i -> i.ref().toString())
        .containsExactlyInAnyOrder("infisical://shop/dev/A", "infisical://shop/dev/payments/B");
    assertThat(store.list(SecretPrefix.of("infisical://shop/dev/payments"), READ))
        .extracting(i -> i.ref().toString())
        .containsExactly("infisical://shop/dev/payments/B");
    SecretInfo c = store.list(SecretPrefix.of("infisical://shop/prod"), READ).get(0);
    assertThat(c.metadata().version()).isEqualTo("1");
    assertThat(store.list(SecretPrefix.of("infisical://shop/dev/empty"), READ)).isEmpty();
  }

  @Test
  void listingByProjectSlugAsksTheServerBySlug() {
    store.write(ref("infisical://" + PROJECT + "/dev/A"), SecretValue.ofString("a"), WRITE);
    fx.fake.resetCounts();

    assertThat(store.list(SecretPrefix.of("infisical://shop/dev"), READ)).hasSize(1);
    RecordedCall list = last(Route.LIST_SECRETS);
    assertThat(list.query())
        .containsEntry("workspaceSlug", "shop")
        .containsEntry("environment", "dev")
        .containsEntry("secretPath", "/")
        .containsEntry("recursive", "true");
    assertThat(fx.fake.requests(Route.GET_PROJECT)).isZero();
  }

  @Test
  void aSlugIsResolvedToTheProjectIdOnceForReadsAndWrites() {
    store.write(ref("infisical://shop/dev/A"), SecretValue.ofString("a"), WRITE);
    read("infisical://shop/dev/A");
    store.delete(ref("infisical://shop/dev/A"), WRITE);

    assertThat(fx.fake.requests(Route.GET_PROJECT)).isEqualTo(1);
    assertThat(last(Route.GET_SECRET).query()).containsEntry("workspaceId", PROJECT);
  }

  @Test
  void deleteReportsWhetherThereWasSomethingToDelete() {
    store.write(ref("infisical://shop/dev/x/GONE"), SecretValue.ofString("v"), WRITE);

    assertThat(store.delete(ref("infisical://shop/dev/x/GONE"), WRITE)).isTrue();
    assertThat(store.delete(ref("infisical://shop/dev/x/GONE"), WRITE)).isFalse();
    assertThat(store.delete(ref("infisical://shop/dev/nowhere/GONE"), WRITE)).isFalse();
    assertThat(store.read(ref("infisical://shop/dev/x/GONE"), READ)).isEmpty();
  }

  @Test
  void binaryValuesTravelAsMarkedBase64AndComeBackExactly() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    store.write(ref("infisical://shop/dev/KEY_BYTES"), SecretValue.ofBytes(bytes), WRITE);

    assertThat(fx.fake.secretValue(PROJECT, "dev", "/", "KEY_BYTES").orElseThrow())
        .startsWith("olares-b64:");
    try (Secret s = store.read(ref("infisical://shop/dev/KEY_BYTES"), READ).orElseThrow()) {
      assertThat(s.value().revealBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void valuesTheServerWouldTrimSurviveUnchanged() {
    for (String value : new String[] {"  padded  ", "\tx", "x\r\n", "\n", "", "nul\0inside"}) {
      store.write(ref("infisical://shop/dev/WS"), SecretValue.ofString(value), WRITE);
      assertThat(read("infisical://shop/dev/WS")).as("[%s]", value).isEqualTo(value);
    }
  }

  @Test
  void textThatLooksLikeBase64ByConventionStaysText() {
    String laravel = "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=";
    store.write(ref("infisical://shop/dev/APP_KEY"), SecretValue.ofString(laravel), WRITE);
    store.write(ref("infisical://shop/dev/TRICKY"), SecretValue.ofString("olares-b64:aGk="), WRITE);

    assertThat(fx.fake.secretValue(PROJECT, "dev", "/", "APP_KEY")).contains(laravel);
    assertThat(read("infisical://shop/dev/APP_KEY")).isEqualTo(laravel);
    assertThat(read("infisical://shop/dev/TRICKY")).isEqualTo("olares-b64:aGk=");
  }

  @Test
  void aValueTooLargeForTheServerIsRefusedBeforeSending() {
    byte[] big = new byte[800 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    byte[] huge = new byte[1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');

    store.write(ref("infisical://shop/dev/BIG"), SecretValue.ofBytes(big), WRITE);
    fx.fake.resetCounts();
    assertThatThrownBy(
            () -> store.write(ref("infisical://shop/dev/HUGE"), SecretValue.ofBytes(huge), WRITE))
        .isInstanceOf(SecretTooLargeException.class)
        .hasMessageContaining("1048576");
    assertThat(fx.fake.requests(Route.CREATE_SECRET)).isZero();
    assertThat(read("infisical://shop/dev/BIG")).hasSize(800 * 1024);
  }

  @Test
  void aVersionTheServerDoesNotServeIsAnIntegrityErrorNotAnotherValue() {
    try (Fixture old = new Fixture(b -> b.versionQueryIgnored(true))) {
      InfisicalStore s = old.store();
      s.write(ref("infisical://shop/dev/ROTATED"), SecretValue.ofString("v1"), WRITE);
      s.write(ref("infisical://shop/dev/ROTATED"), SecretValue.ofString("v2"), WRITE);

      assertThatThrownBy(() -> s.read(ref("infisical://shop/dev/ROTATED?version=1"), READ))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("answered version 2 to a read of version 1")
          .hasMessageNotContaining("v2");
    }
  }

  @Test
  void describeSeparatesAnAppsOwnProjectFromSharedCredentials() {
    InfisicalStore owned =
        fx.store(fx.options().projectOwners(Map.of("myapp-own", "myapp")).build());

    ResourceInfo own = owned.describe(ref("infisical://myapp-own/prod/SESSION_KEY"), "other");
    assertThat(own.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
    assertThat(own.owner()).isEqualTo("myapp");
    assertThat(owned.describe(ref("infisical://shop/prod/X"), "myapp").classification())
        .isEqualTo(Classification.CREDENTIAL);
    assertThat(fx.fake.requests()).isZero();
  }

  @Test
  void referencesThatCannotNameAnInfisicalSecretAreRefused() {
    assertThatThrownBy(() -> store.read(ref("infisical://shop/ONLY_ENV"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("environment and a name");
    assertThatThrownBy(() -> store.read(ref("infisical://shop/dev/A#field"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("single values");
    assertThatThrownBy(() -> store.read(ref("infisical://shop/dev/A?version=latest"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(
            () ->
                store.write(
                    ref("infisical://shop/dev/A?version=2"), SecretValue.ofString("x"), WRITE))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> store.read(ref("other://shop/dev/A"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("names store 'other'");
    assertThat(fx.fake.requests()).isZero();
  }

  @Test
  void declaresWhatItCanDo() {
    assertThat(store.capabilities())
        .containsExactlyInAnyOrder(
            Capability.READ,
            Capability.WRITE,
            Capability.DELETE,
            Capability.LIST,
            Capability.VERSIONS,
            Capability.BINARY);
    assertThat(store.type()).isEqualTo("infisical");
    assertThat(store.name()).isEqualTo("infisical");
  }

  @Test
  void closingRevokesTheTokenItLoggedInWith() {
    read0("infisical://shop/dev/ANY");
    assertThat(fx.fake.liveTokens()).isEqualTo(1);

    store.close();

    assertThat(fx.fake.requests(Route.TOKEN_REVOKE)).isEqualTo(1);
    assertThat(fx.fake.liveTokens()).isZero();
    assertThatThrownBy(() -> store.read(ref("infisical://shop/dev/ANY"), READ))
        .isInstanceOf(IllegalStateException.class);
  }

  private Optional<Secret> read0(String ref) {
    return store.read(ref(ref), READ);
  }

  private RecordedCall last(Route route) {
    return fx.fake.recordedCalls().stream()
        .filter(c -> c.route() == route)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Listing prefixes. */
  private static final class SecretPrefix {
    static io.olares.secrets.SecretRef of(String text) {
      return io.olares.secrets.SecretRef.parsePrefix(text);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
