package io.olares.secrets.benchmarks;

import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.ApprovalVerifier;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.vault.KdfParams;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import io.olares.secrets.vault.VaultOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Vaults for benchmarks: cheap Argon2id parameters (unlocking is measured on its own), a trusted
 * device key, and SQLite files in temporary directories.
 */
final class BenchVaults {
  /** Argon2id parameters far below the production floor, so opening costs nothing measurable. */
  static final KdfParams CHEAP = new KdfParams(256, 2, 1);

  static final String APP = "bench";
  static final String PASSPHRASE = "correct horse battery staple";

  private BenchVaults() {}

  static VaultOptions options() {
    return VaultOptions.builder().kdfFloor(new KdfParams(64, 1, 1)).build();
  }

  /** Options whose approval check accepts everything: a read "without approval verification". */
  static VaultOptions unverified() {
    ApprovalVerifier acceptAll = (approval, expected) -> {};
    return VaultOptions.builder()
        .kdfFloor(new KdfParams(64, 1, 1))
        .verifierFactory((trusted, ledger, clock, maxAge, maxSkew) -> acceptAll)
        .build();
  }

  static String url(Path file) {
    return "jdbc:sqlite:" + file;
  }

  /** Creates a vault at {@code file} trusting {@code device}. */
  static Vault create(Path file, DeviceKey device) {
    Vault vault = Vault.init(url(file), PASSPHRASE.toCharArray(), CHEAP, options());
    try (VaultAdmin admin = vault.admin(PASSPHRASE.toCharArray())) {
      admin.trust(device.did());
    }
    return vault;
  }

  /** Stores {@code text} in the default field of an API-secret item. */
  static void put(Vault vault, String name, String text) {
    try (SecretValue v = SecretValue.ofString(text)) {
      vault.putField(name, null, v);
    }
  }

  /** Copies a closed vault file (and its WAL side files, where present) to {@code target}. */
  static void copy(Path source, Path target) {
    try {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      for (String side : new String[] {"-wal", "-shm"}) {
        Path s = source.resolveSibling(source.getFileName() + side);
        if (Files.exists(s)) {
          Files.copy(s, target.resolveSibling(target.getFileName() + side));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
