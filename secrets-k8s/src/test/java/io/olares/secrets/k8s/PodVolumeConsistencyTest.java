package io.olares.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.k8s.support.KubeletVolume;
import io.olares.secrets.spi.AccessContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the kubelet keeps publishing new versions of a Secret volume (and removing the old ones),
 * readers only ever see whole versions: every byte of a value belongs to the same version.
 */
class PodVolumeConsistencyTest {
  private static final int SIZE = 64 * 1024;
  private static final int VERSIONS = 200;

  @TempDir Path dir;

  @Test
  void readersNeverSeeAHalfWrittenValueDuringKubeletUpdates() throws Exception {
    KubeletVolume volume = new KubeletVolume(dir.resolve("secrets"));
    volume.publish(Map.of("blob", value(0)));
    PodSecretStore store = PodSecretStore.builder().build();
    SecretRef ref = SecretRef.parse("pod://file" + volume.mount() + "/blob");
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<Integer> distinctVersions = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          CompletableFuture.runAsync(
              () -> {
                int last = -1;
                while (!done.get()) {
                  try (Secret s =
                      store.read(ref, AccessContext.of("app", Operation.READ)).orElseThrow()) {
                    int version = checkWhole(s.value().revealBytes());
                    assertThat(version).isGreaterThanOrEqualTo(last);
                    if (version != last) {
                      distinctVersions.add(version);
                    }
                    last = version;
                    reads.incrementAndGet();
                  }
                }
              }));
    }
    for (int v = 1; v <= VERSIONS; v++) {
      volume.publish(Map.of("blob", value(v)));
    }
    done.set(true);
    CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get();

    assertThat(reads.get()).isPositive();
    assertThat(distinctVersions).isNotEmpty();
    store.close();
  }

  /** Version v: a 4-byte version number, then every byte equal to v mod 251. */
  private static byte[] value(int version) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(version);
    byte fill = (byte) (version % 251);
    while (b.hasRemaining()) {
      b.put(fill);
    }
    return b.array();
  }

  private static int checkWhole(byte[] bytes) {
    assertThat(bytes).hasSize(SIZE);
    int version = ByteBuffer.wrap(bytes).getInt();
    byte[] expected = value(version);
    assertThat(Arrays.equals(bytes, expected))
        .as("every byte of the value belongs to version %d", version)
        .isTrue();
    return version;
  }
}
