package io.olares.secrets.k8s.internal;

import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one file of a mounted Secret volume without ever returning a value that is half old, half
 * new.
 *
 * <p>The kubelet updates a Secret volume atomically: it writes the new files into a fresh hidden
 * directory ({@code ..2026_12_04_16_02_13.123}), points a temporary symlink at it and renames that
 * over {@code ..data}, then removes the old directory; each key is a symlink {@code key ->
 * ..data/key}. A reader here resolves {@code ..data} once, reads the file inside that version, and
 * checks that {@code ..data} still points to the same version afterwards; if it moved (or the old
 * version vanished mid-read) it reads again. Files outside such a volume are read whole and
 * accepted only when their size, modification time and identity did not change during the read.
 */
public final class MountedFile {
  /** The kubelet's pointer to the current version of a Secret volume. */
  public static final String DATA_LINK = "..data";

  private static final int ATTEMPTS = 8;
  private static final long MAX_BYTES = 4L * 1024 * 1024;

  /**
   * What a read saw: the bytes, and a fingerprint of the version they came from.
   *
   * @param bytes the file's content; the caller owns (and wipes) it
   * @param version the volume version ({@code ..data} target), or null outside a volume
   * @param fingerprint what identifies this content's version for change detection
   * @param modified the file's modification time
   */
  public record Content(byte[] bytes, String version, String fingerprint, Instant modified) {}

  private MountedFile() {}

  /** Reads {@code file}; empty where it does not exist. */
  public static Optional<Content> read(Path file) {
    Objects.requireNonNull(file, "file");
    Optional<Path> volume = volumeRoot(file);
    try {
      return volume.isPresent() ? readVersioned(volume.get(), file) : readPlain(file);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot read mounted file " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** The fingerprint a read of {@code file} would see now, or empty where the file is absent. */
  public static Optional<String> currentFingerprint(Path file) {
    try {
      Optional<Path> volume = volumeRoot(file);
      if (volume.isEmpty()) {
        return Files.isRegularFile(file) ? Optional.of(stamp(file)) : Optional.empty();
      }
      Path root = volume.get();
      Path link = root.resolve(DATA_LINK);
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Path target = Files.readSymbolicLink(link);
        Path inside = root.resolve(target).resolve(root.relativize(file));
        try {
          return Optional.of(target + ":" + stamp(inside));
        } catch (NoSuchFileException | NotDirectoryException gone) {
          if (target.equals(Files.readSymbolicLink(link))) {
            return Optional.empty();
          }
        }
      }
      return Optional.of("changing");
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("unreadable:" + e.getClass().getSimpleName());
    }
  }

  /** The keys (file names) of a mounted volume, without the kubelet's hidden entries. */
  public static List<String> keys(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith(".."))
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot list mounted directory " + dir + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** The nearest directory above {@code file} that holds a {@code ..data} symlink. */
  static Optional<Path> volumeRoot(Path file) {
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      if (Files.isSymbolicLink(dir.resolve(DATA_LINK))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<Content> readVersioned(Path root, Path file) throws IOException {
    Path relative = root.relativize(file);
    Path link = root.resolve(DATA_LINK);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Path target = Files.readSymbolicLink(link);
      Path inside = root.resolve(target).resolve(relative);
      BasicFileAttributes attributes;
      byte[] bytes;
      try {
        attributes = Files.readAttributes(inside, BasicFileAttributes.class);
        bytes = readBounded(inside);
      } catch (NoSuchFileException | NotDirectoryException gone) {
        if (!target.equals(Files.readSymbolicLink(link))) {
          continue; // the version was replaced and removed while we looked: read the new one
        }
        return Optional.empty();
      }
      if (target.equals(Files.readSymbolicLink(link))) {
        return Optional.of(
            new Content(
                bytes,
                target.toString(),
                target + ":" + stamp(attributes),
                attributes.lastModifiedTime().toInstant()));
      }
      Arrays.fill(bytes, (byte) 0);
    }
    throw new StoreUnavailableException(
        "mounted file " + file + " changed during each of " + ATTEMPTS + " reads");
  }

  private static Optional<Content> readPlain(Path file) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      BasicFileAttributes before;
      try {
        before = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException | NotDirectoryException e) {
        return Optional.empty();
      }
      if (!before.isRegularFile()) {
        return Optional.empty();
      }
      byte[] bytes;
      BasicFileAttributes after;
      try {
        bytes = readBounded(file);
        after = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (same(before, after) && bytes.length == after.size()) {
        return Optional.of(
            new Content(bytes, null, stamp(before), before.lastModifiedTime().toInstant()));
      }
      Arrays.fill(bytes, (byte) 0);
    }
    throw new StoreUnavailableException(
        "file " + file + " changed during each of " + ATTEMPTS + " reads");
  }

  private static byte[] readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new SecretsException(
          "mounted file " + file + " holds " + size + " bytes; a Secret holds at most 1 MiB");
    }
    return Files.readAllBytes(file);
  }

  private static boolean same(BasicFileAttributes a, BasicFileAttributes b) {
    return a.size() == b.size()
        && a.lastModifiedTime().equals(b.lastModifiedTime())
        && Objects.equals(a.fileKey(), b.fileKey());
  }

  private static String stamp(Path file) throws IOException {
    return stamp(Files.readAttributes(file, BasicFileAttributes.class));
  }

  private static String stamp(BasicFileAttributes a) {
    return a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis();
  }
}
