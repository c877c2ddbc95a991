package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.support.KubeletVolume;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSecretStoreTest {
  private static final AccessContext READ = AccessContext.of("myapp", Operation.READ);

  @TempDir Path dir;
  private KubeletVolume volume;
  private PodSecretStore store;
  private final BlockingQueue<SecretRef> changes = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws Exception {
    volume = new KubeletVolume(dir.resolve("etc/secrets/db"));
    volume.publish(Map.of("password", bytes("p1"), "username", bytes("notes")));
    store =
        PodSecretStore.builder()
            .namespace("myapp-alice")
            .environment(Map.of("DATABASE_URL", "postgres://u:p@db/app")::get)
            .pollInterval(Duration.ofHours(1))
            .build();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private SecretRef file(String key) {
    return SecretRef.parse("pod://file" + volume.mount() + "/" + key);
  }

  private String read(SecretRef ref) {
    try (Secret s = store.read(ref, READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void readsAnInjectedEnvironmentVariable() {
    assertThat(read(SecretRef.parse("pod://env/DATABASE_URL"))).isEqualTo("postgres://u:p@db/app");
    assertThat(store.read(SecretRef.parse("pod://env/UNSET"), READ)).isEmpty();
  }

  @Test
  void readsAKeyOfAMountedSecretVolumeWithItsVersion() {
    try (Secret s = store.read(file("password"), READ).orElseThrow()) {
      assertThat(s.value().revealString()).isEqualTo("p1");
      assertThat(s.classification()).isEqualTo(Classification.POD_SECRET);
      assertThat(s.metadata().version()).startsWith("..2026_12_04");
    }
    assertThat(store.read(file("absent"), READ)).isEmpty();
  }

  @Test
  void listsTheKeysOfAMountWithoutTheKubeletsHiddenEntries() {
    List<SecretInfo> keys = store.list(SecretRef.parsePrefix("pod://file" + volume.mount()), READ);

    assertThat(keys)
        .extracting(i -> i.ref().name().orElseThrow())
        .containsExactly("password", "username");
  }

  @Test
  void followsAKubeletUpdateWithinOnePoll() throws Exception {
    assertThat(read(file("password"))).isEqualTo("p1");
    try (AutoCloseable handle = store.watch(changes::add).orElseThrow()) {
      volume.publish(Map.of("password", bytes("p2"), "username", bytes("notes")));

      store.pollNow();

      assertThat(changes).containsExactly(file("password"));
      assertThat(read(file("password"))).isEqualTo("p2");
      store.pollNow();
      assertThat(changes).hasSize(1);
    }
  }

  @Test
  void theScheduledPollReportsTheUpdate() throws Exception {
    PodSecretStore fast = PodSecretStore.builder().pollInterval(Duration.ofMillis(20)).build();
    assertThat(fast.read(file("username"), READ)).isPresent();
    try (AutoCloseable handle = fast.watch(changes::add).orElseThrow()) {
      volume.publish(Map.of("password", bytes("p1"), "username", bytes("renamed")));

      assertThat(changes.poll(20, TimeUnit.SECONDS)).isEqualTo(file("username"));
    } finally {
      fast.close();
    }
  }

  @Test
  void aRemovedKeyIsReportedAndThenReadsAsEmpty() throws Exception {
    read(file("username"));
    try (AutoCloseable handle = store.watch(changes::add).orElseThrow()) {
      volume.publish(Map.of("password", bytes("p1")));

      store.pollNow();

      assertThat(changes).containsExactly(file("username"));
      assertThat(store.read(file("username"), READ)).isEmpty();
    }
  }

  @Test
  void aPlainFileOutsideAVolumeIsReadAndWatchedToo() throws Exception {
    Path plain = Files.writeString(dir.resolve("token"), "t1");
    SecretRef ref = SecretRef.parse("pod://file" + plain);
    assertThat(read(ref)).isEqualTo("t1");
    try (AutoCloseable handle = store.watch(changes::add).orElseThrow()) {
      Path next = Files.writeString(dir.resolve("token.new"), "t2-longer");
      Files.move(
          next,
          plain,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      store.pollNow();

      assertThat(changes).containsExactly(ref);
      assertThat(read(ref)).isEqualTo("t2-longer");
    }
  }

  @Test
  void theStoreIsReadOnly() {
    assertThatThrownBy(
            () ->
                store.write(
                    SecretRef.parse("pod://env/X"),
                    SecretValue.ofString("v"),
                    AccessContext.of("myapp", Operation.WRITE)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("read-only");
    assertThatThrownBy(() -> store.delete(file("password"), READ))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void malformedReferencesAreRefused() {
    assertThatThrownBy(() -> store.read(SecretRef.parse("pod://volume/x/y"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("pod://env/<NAME>");
    assertThatThrownBy(() -> store.read(SecretRef.parse("pod://env/A/B"), READ))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> store.read(SecretRef.parse("pod://file/password"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("<mount-path>/<key>");
    assertThatThrownBy(() -> store.read(SecretRef.parse("pod://env/X#field"), READ))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> store.list(SecretRef.parsePrefix("pod://env"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("cannot be listed");
  }

  @Test
  void rootsConfineFileReferences() {
    PodSecretStore confined =
        PodSecretStore.builder().roots(List.of(dir.resolve("etc/secrets"))).build();

    assertThat(confined.read(file("password"), READ)).isPresent();
    assertThatThrownBy(() -> confined.read(SecretRef.parse("pod://file/etc/passwd/x"), READ))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("outside the configured roots");
  }

  @Test
  void describeNamesThePodsOwnNamespace() {
    assertThat(store.describe(SecretRef.parse("pod://env/DATABASE_URL"), "myapp").owner())
        .isEqualTo("myapp-alice");
  }
}
