package io.olares.secrets.k8s.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a Secret volume the way the kubelet's atomic writer does: each version goes into a fresh
 * hidden directory, a temporary symlink to it is renamed over {@code ..data} in one step, each key
 * is a symlink {@code key -> ..data/key}, and the previous version's directory is then removed.
 */
public final class KubeletVolume {
  private final Path mount;
  private int versions;

  /** A volume mounted at {@code mount} (created where absent). */
  public KubeletVolume(Path mount) throws IOException {
    this.mount = Files.createDirectories(mount);
  }

  /** The mount directory. */
  public Path mount() {
    return mount;
  }

  /** Publishes a new version holding exactly {@code files}. */
  public synchronized void publish(Map<String, byte[]> files) throws IOException {
    String version = String.format("..2026_12_04_16_02_13.%09d", ++versions);
    Path dir = Files.createDirectory(mount.resolve(version));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path file = dir.resolve(f.getKey());
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(f.getValue()));
        ch.force(true);
      }
    }
    Path data = mount.resolve("..data");
    Path old = Files.isSymbolicLink(data) ? mount.resolve(Files.readSymbolicLink(data)) : null;
    Path tmp = mount.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(version));
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
    for (String key : files.keySet()) {
      Path link = mount.resolve(key);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, Path.of("..data", key));
      }
    }
    try (Stream<Path> entries = Files.list(mount)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !files.containsKey(name)) {
          Files.delete(p);
        }
      }
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
