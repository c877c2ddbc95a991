package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private static final AccessContext CTX = AccessContext.of("test", Operation.READ);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
  private final MemoryStore store = MemoryStore.builder("mem").clock(clock).build();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void eachWriteAddsAVersionAndAnOlderOneReadsByItsNumber() {
    SecretRef ref = ref("app/token");
    write(ref, "one");
    write(ref, "two");
    write(ref, "three");

    assertThat(store.versions(ref)).containsExactly("1", "2", "3");
    assertThat(text(ref.withVersion("1"))).isEqualTo("one");
    assertThat(text(ref.withVersion("2"))).isEqualTo("two");
    assertThat(text(ref)).isEqualTo("three");
    assertThat(store.read(ref, CTX).orElseThrow().metadata().version()).isEqualTo("3");
  }

  @Test
  void aVersionThatWasNeverWrittenReadsAsEmpty() {
    SecretRef ref = ref("app/token");
    write(ref, "one");

    assertThat(store.read(ref.withVersion("2"), CTX)).isEmpty();
  }

  @Test
  void versionNumbersAreNotReusedAfterADelete() {
    SecretRef ref = ref("app/token");
    write(ref, "one");
    write(ref, "two");
    store.delete(ref, CTX);

    write(ref, "three");

    assertThat(store.versions(ref)).containsExactly("3");
    assertThat(store.read(ref.withVersion("1"), CTX)).isEmpty();
  }

  @Test
  void versionsBeyondTheLimitAreDroppedAndTheirBytesWiped() {
    try (MemoryStore small = MemoryStore.builder("mem").maxVersions(2).build()) {
      SecretRef ref = ref("app/token");
      small.write(ref, SecretValue.ofString("first"), CTX);
      byte[] firstArray = small.heldArrays(ref).get(0);

      small.write(ref, SecretValue.ofString("second"), CTX);
      small.write(ref, SecretValue.ofString("third"), CTX);

      assertThat(small.versions(ref)).containsExactly("2", "3");
      assertThat(small.read(ref.withVersion("1"), CTX)).isEmpty();
      assertThat(firstArray).containsOnly(0);
    }
  }

  @Test
  void aVersionThatIsNotAPositiveNumberIsRejectedNamingIt() {
    SecretRef ref = ref("app/token").withVersion("latest");

    assertThatThrownBy(() -> store.read(ref, CTX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("'latest'");
  }

  @Test
  void aWriteOrDeleteNamingAVersionIsRejected() {
    SecretRef ref = ref("app/token").withVersion("1");

    assertThatThrownBy(() -> store.write(ref, SecretValue.ofString("x"), CTX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> store.delete(ref, CTX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("version");
  }

  @Test
  void theStoreKeepsACopyOfTheWrittenBytes() {
    byte[] given = "original".getBytes(StandardCharsets.UTF_8);
    SecretRef ref = ref("app/token");

    store.write(ref, SecretValue.adopt(given), CTX);
    given[0] = 'X';

    assertThat(text(ref)).isEqualTo("original");
    assertThat(store.heldArrays(ref).get(0)).isNotSameAs(given);
  }

  @Test
  void closingAReadSecretLeavesTheStoredBytesIntact() {
    SecretRef ref = ref("app/token");
    write(ref, "kept");

    store.read(ref, CTX).orElseThrow().close();

    assertThat(store.heldArrays(ref).get(0)).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void deletingWipesEveryVersionsBytes() {
    SecretRef ref = ref("app/token");
    write(ref, "one");
    write(ref, "two");
    List<byte[]> held = store.heldArrays(ref);

    assertThat(store.delete(ref, CTX)).isTrue();

    assertThat(held).hasSize(2).allSatisfy(bytes -> assertThat(bytes).containsOnly(0));
  }

  @Test
  void closingWipesEverythingAndRefusesFurtherCalls() {
    SecretRef ref = ref("app/token");
    write(ref, "secret");
    byte[] held = store.heldArrays(ref).get(0);

    store.close();
    store.close();

    assertThat(held).containsOnly(0);
    assertThatThrownBy(() -> store.read(ref, CTX))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("'mem' is closed");
    assertThatThrownBy(() -> store.write(ref, SecretValue.ofString("again"), CTX))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void fieldsOfOneReferenceAreSeparateSecrets() {
    SecretRef user = ref("app/db#user");
    SecretRef password = ref("app/db#password");

    write(user, "admin");
    write(password, "hunter2");

    assertThat(text(user)).isEqualTo("admin");
    assertThat(text(password)).isEqualTo("hunter2");
    assertThat(store.list(SecretRef.parsePrefix("mem://app"), CTX))
        .extracting(SecretInfo::ref)
        .containsExactly(password, user);
  }

  @Test
  void aListingIsSortedAndCarriesEachSecretsLatestVersionAndTimes() {
    SecretRef b = ref("app/b");
    SecretRef a = ref("app/a");
    write(b, "b1");
    Instant created = clock.instant();
    clock.advance(Duration.ofMinutes(5));
    write(b, "b2");
    write(a, "a1");

    List<SecretInfo> listed = store.list(SecretRef.parsePrefix("mem://app"), CTX);

    assertThat(listed).extracting(SecretInfo::ref).containsExactly(a, b);
    SecretInfo bInfo = listed.get(1);
    assertThat(bInfo.metadata().version()).isEqualTo("2");
    assertThat(bInfo.metadata().created()).isEqualTo(created);
    assertThat(bInfo.metadata().updated()).isEqualTo(created.plus(Duration.ofMinutes(5)));
    assertThat(bInfo.classification()).isEqualTo(Classification.CREDENTIAL);
  }

  @Test
  void referencesToAnotherStoreOrToAContainerAreRejected() {
    assertThatThrownBy(() -> store.read(SecretRef.parse("other://app/token"), CTX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("'other'")
        .hasMessageContaining("'mem'");
    assertThatThrownBy(() -> store.read(SecretRef.parsePrefix("mem://app"), CTX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("names a container");
  }

  @Test
  void watchersHearOfWritesAndDeletesOnTheWritingThread() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    SecretRef ref = ref("app/token");
    AutoCloseable handle =
        store
            .watch(changed -> heard.add(changed + " on " + Thread.currentThread().getName()))
            .orElseThrow();
    String thread = Thread.currentThread().getName();

    write(ref, "one");
    store.delete(ref, CTX);
    handle.close();
    write(ref, "after the handle closed");

    assertThat(heard).containsExactly(ref + " on " + thread, ref + " on " + thread);
  }

  @Test
  void aFailingListenerNeitherFailsTheWriteNorSilencesOtherListeners() {
    List<SecretRef> heard = new ArrayList<>();
    store.watch(
        changed -> {
          throw new IllegalStateException("listener bug");
        });
    store.watch(heard::add);
    SecretRef ref = ref("app/token");

    write(ref, "value");

    assertThat(heard).containsExactly(ref);
    assertThat(text(ref)).isEqualTo("value");
  }

  @Test
  void describeGivesTheConfiguredClassificationAndNoOwnerForCredentials() {
    ResourceInfo info = store.describe(ref("app/token"), "someone");

    assertThat(info.classification()).isEqualTo(Classification.CREDENTIAL);
    assertThat(info.owner()).isNull();
  }

  @Test
  void applicationCredentialsAreOwnedByTheContainerByDefault() {
    try (MemoryStore own =
        MemoryStore.builder("mem").classification(Classification.APPLICATION_CREDENTIAL).build()) {
      ResourceInfo info = own.describe(ref("myapp/api-key"), "other");

      assertThat(info.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
      assertThat(info.owner()).isEqualTo("myapp");
    }
  }

  @Test
  void aConfiguredOwnerOverridesTheContainer() {
    try (MemoryStore pods =
        MemoryStore.builder("mem")
            .classification(Classification.POD_SECRET)
            .owner("myapp-alice")
            .build()) {
      assertThat(pods.describe(ref("env/DATABASE_URL"), "myapp").owner()).isEqualTo("myapp-alice");
    }
  }

  @Test
  void withoutOwnerFromContainerAnApplicationCredentialHasNoOwner() {
    try (MemoryStore own =
        MemoryStore.builder("mem")
            .classification(Classification.APPLICATION_CREDENTIAL)
            .ownerFromContainer(false)
            .build()) {
      assertThat(own.describe(ref("myapp/api-key"), "myapp").owner()).isNull();
    }
  }

  @Test
  void anOwnerIsIgnoredForClassificationsThatHaveNone() {
    try (MemoryStore vault =
        MemoryStore.builder("mem").classification(Classification.VAULT_ITEM).owner("x").build()) {
      ResourceInfo info = vault.describe(ref("personal/github"), "app");

      assertThat(info.classification()).isEqualTo(Classification.VAULT_ITEM);
      assertThat(info.owner()).isNull();
    }
  }

  @Test
  void aReadSecretCarriesTheStoresClassificationAndTheRequestedReference() {
    try (MemoryStore pods =
        MemoryStore.builder("mem").classification(Classification.POD_SECRET).build()) {
      SecretRef ref = ref("ns/db#url");
      pods.write(ref, SecretValue.ofString("postgres://db"), CTX);

      try (Secret secret = pods.read(ref, CTX).orElseThrow()) {
        assertThat(secret.classification()).isEqualTo(Classification.POD_SECRET);
        assertThat(secret.ref()).isEqualTo(ref);
      }
    }
  }

  @Test
  void seededSecretsAreThereAsVersionOne() {
    SecretRef ref = ref("demo/greeting");
    byte[] seedBytes = "hello".getBytes(StandardCharsets.UTF_8);
    try (MemoryStore seeded = MemoryStore.builder("mem").seed(ref, seedBytes).build()) {
      seedBytes[0] = 'J';

      assertThat(seeded.versions(ref)).containsExactly("1");
      assertThat(seeded.read(ref, CTX).orElseThrow().value().revealString()).isEqualTo("hello");
    }
  }

  @Test
  void aSeedForAnotherStoreOrWithAVersionIsRejected() {
    MemoryStore.Builder builder = MemoryStore.builder("mem");

    assertThatThrownBy(() -> builder.seed(SecretRef.parse("other://a/b"), new byte[1]))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("'other'");
    assertThatThrownBy(() -> builder.seed(SecretRef.parse("mem://a/b?version=2"), new byte[1]))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("without a version");
  }

  @Test
  void aStoreNameThatReferencesCannotUseIsRejected() {
    assertThatThrownBy(() -> MemoryStore.builder("9lives"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("9lives");
  }

  @Test
  void toStringNamesTheStoreAndItsClassificationOnly() {
    write(ref("app/token"), "s3cr3t-value");

    assertThat(store.toString()).isEqualTo("MemoryStore[mem, CREDENTIAL]");
  }

  private void write(SecretRef ref, String value) {
    store.write(ref, SecretValue.ofString(value), CTX);
  }

  private String text(SecretRef ref) {
    try (Secret secret = store.read(ref, CTX).orElseThrow()) {
      return secret.value().revealString();
    }
  }

  private static SecretRef ref(String path) {
    return SecretRef.parse("mem://" + path);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration step) {
      now = now.plus(step);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the test clock stays in UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
