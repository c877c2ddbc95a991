package io.olares.secrets.k8s;

import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.support.KubeletVolume;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.testing.SecretStoreConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SPI conformance kit against the pod store. The store is read-only, so the kit's values are
 * put in place the way the kubelet does it: each folder is a Secret volume that gets a new version,
 * published with an atomic {@code ..data} swap, for every value seeded into it.
 */
class PodStoreConformanceTest extends SecretStoreConformanceTest {
  private Path root;
  private final Map<Path, KubeletVolume> volumes = new HashMap<>();
  private final Map<Path, Map<String, byte[]>> contents = new HashMap<>();

  @Override
  protected SecretStore createStore() throws Exception {
    root = Files.createTempDirectory("pod-conformance");
    return PodSecretStore.builder().name("pod").namespace("conformance-alice").build();
  }

  @Override
  protected void closeStore(SecretStore store) throws Exception {
    store.close();
    if (!Files.exists(root)) {
      return; // the kit closes the store twice in its canary test
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  protected Set<Feature> features() {
    return EnumSet.of(Feature.LIST, Feature.BINARY, Feature.EMPTY_VALUES, Feature.LARGE);
  }

  @Override
  protected SecretRef ref(String name) {
    return ref("default-volume", name);
  }

  @Override
  protected SecretRef ref(String folder, String name) {
    List<String> path = new ArrayList<>();
    root.resolve(folder).forEach(p -> path.add(p.toString()));
    path.add(name);
    return SecretRef.of("pod", "file", path, null, null);
  }

  @Override
  protected SecretRef listPrefix(String folder) {
    List<String> path = new ArrayList<>();
    root.resolve(folder).forEach(p -> path.add(p.toString()));
    return SecretRef.of("pod", "file", path, null, null);
  }

  @Override
  protected synchronized void seed(SecretRef ref, SecretValue value) throws Exception {
    Path file = Path.of("/", ref.path().toArray(String[]::new));
    Path dir = file.getParent();
    KubeletVolume volume = volumes.get(dir);
    if (volume == null) {
      volume = new KubeletVolume(dir);
      volumes.put(dir, volume);
    }
    Map<String, byte[]> files = contents.computeIfAbsent(dir, d -> new LinkedHashMap<>());
    files.put(file.getFileName().toString(), value.revealBytes());
    volume.publish(files);
  }
}
