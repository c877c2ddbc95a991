package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.CHEAP;
import static io.olares.secrets.vault.TestVaults.passphrase;
import static io.olares.secrets.vault.TestVaults.sqlite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.vault.internal.Calibrator;
import io.olares.secrets.vault.internal.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultLifecycleTest {
  @TempDir Path dir;

  @Test
  void aStorageFileTheDatabaseEngineFindsCorruptedIsAnIntegrityFailure() throws Exception {
    String url;
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      f.put("work/api", "token-123");
      url = f.url;
    }
    java.nio.file.Path file = java.nio.file.Path.of(url.substring("jdbc:sqlite:".length()));
    java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + "-wal"));
    java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + "-shm"));
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    java.util.Arrays.fill(bytes, 100, Math.min(bytes.length, 4096), (byte) 0x5a);
    java.nio.file.Files.write(file, bytes);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Vault.open(
                        url,
                        TestVaults.passphrase(),
                        TestVaults.options(java.time.Clock.systemUTC()))
                    .close())
        .isInstanceOf(io.olares.secrets.IntegrityException.class)
        .hasMessageContaining("corrupted");
  }

  @Test
  void aVaultOpensAgainWithItsPassphraseAndKeepsItsItemsAndId() {
    String id;
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      f.put("personal/github", "hunter2");
      id = f.vault.id();
      f.restart();

      assertThat(f.vault.id()).isEqualTo(id);
      assertThat(f.vault.kdfParams()).isEqualTo(CHEAP);
      assertThat(f.readText("personal/github")).isEqualTo("hunter2");
    }
  }

  @Test
  void aWrongPassphraseDoesNotUnlockTheVaultAndIsNotQuoted() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      assertThatThrownBy(
              () -> Vault.open(f.url, "Tr0ub4dor&3".toCharArray(), TestVaults.options(f.clock)))
          .isInstanceOf(VaultUnlockException.class)
          .hasMessageContaining(f.vault.id())
          .hasMessageNotContaining("Tr0ub4dor");
    }
  }

  @Test
  void theRealFloorRefusesAVaultWhoseHeaderLiesBelowIt() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      assertThatThrownBy(() -> Vault.open(f.url, passphrase(), VaultOptions.defaults()))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("below the floor " + KdfParams.FLOOR)
          .hasMessageContaining("downgraded");
    }
  }

  @Test
  void aHeaderWhoseParametersWereLoweredInStorageDoesNotOpen() {
    String url = sqlite(dir);
    try (Vault vault = Vault.init(url, passphrase(), KdfParams.FLOOR, VaultOptions.defaults())) {
      assertThat(vault.kdfParams()).isEqualTo(KdfParams.FLOOR);
    }
    Sql.update(url, "UPDATE vault_header SET kdf_memory_kib = 1024, kdf_iterations = 1");

    assertThatThrownBy(() -> Vault.open(url, passphrase(), VaultOptions.defaults()))
        .as("the real floor refuses before deriving anything")
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("m=1024KiB,t=1,p=1")
        .hasMessageContaining("below the floor");
    assertThatThrownBy(
            () -> Vault.open(url, passphrase(), TestVaults.options(MutableClock.standing())))
        .as("even where a floor lets it through, the lowered parameters do not unwrap the key")
        .isInstanceOf(VaultUnlockException.class);
  }

  @Test
  void aHeaderAskingForMoreThanTheCeilingDoesNotOpen() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      Sql.update(f.url, "UPDATE vault_header SET kdf_memory_kib = 8388608");

      assertThatThrownBy(f::reopen)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("exceed the ceiling");
    }
  }

  @Test
  void aHeaderNamingAnotherKeyDerivationDoesNotOpen() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      Sql.update(f.url, "UPDATE vault_header SET kdf_algorithm = 'pbkdf2'");

      assertThatThrownBy(f::reopen)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("only argon2id");
    }
  }

  @Test
  void creatingRefusesParametersBelowTheFloorAndAnExistingVault() {
    String url = sqlite(dir);
    assertThatThrownBy(
            () -> Vault.init(url, passphrase(), new KdfParams(1024, 2, 1), VaultOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below the floor");

    try (TestVaults.Fixture f = TestVaults.Fixture.create(url)) {
      assertThatThrownBy(() -> Vault.init(url, passphrase(), CHEAP, TestVaults.options(f.clock)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("already exists");
    }
  }

  @Test
  void openingAMissingFileFailsAndCreatesNothing() {
    String url = sqlite(dir);

    assertThat(Vault.exists(url)).isFalse();
    assertThatThrownBy(() -> Vault.open(url, passphrase()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no vault exists");
    assertThat(dir.resolve("vault.db")).doesNotExist();
  }

  @Test
  void anEmptyDatabaseFileIsNotAVault() throws Exception {
    Path file = dir.resolve("vault.db");
    Files.createFile(file);

    assertThat(Vault.exists(sqlite(dir))).isFalse();
    assertThatThrownBy(() -> Vault.open(sqlite(dir), passphrase()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no vault exists");
  }

  @Test
  void theVaultFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("vault.db"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void sqliteRunsInWalModeWithFullSynchronousCommitsAndABusyTimeout() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir);
        Database db = Database.connect(f.url, false, Duration.ofSeconds(7), 1)) {
      List<Object> pragmas = new ArrayList<>();
      db.autoCommit(
          c -> {
            for (String p : List.of("journal_mode", "synchronous", "busy_timeout")) {
              try (var rs = c.createStatement().executeQuery("PRAGMA " + p)) {
                rs.next();
                pragmas.add(rs.getObject(1));
              }
            }
            return null;
          });

      assertThat(pragmas).containsExactly("wal", 2, 7000);
    }
  }

  @Test
  void aSchemaNewerThanThisLibraryIsRefused() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir)) {
      Sql.update(f.url, "INSERT INTO schema_version (version, applied_at) VALUES (2, 0)");

      assertThatThrownBy(f::reopen)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("schema version 2")
          .hasMessageContaining("upgrade");
    }
  }

  @Test
  void storageUrlsAreDescribedWithoutCredentials() {
    String described =
        Database.describe("jdbc:postgresql://vault:s3cret@db.example:5432/vault?password=hunter2");

    assertThat(described).isEqualTo("jdbc:postgresql://db.example:5432/vault");
    assertThatThrownBy(() -> Database.dialectOf("jdbc:mysql://x/y?password=hunter2"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anInMemorySqliteUrlIsRefusedBecauseAVaultNeedsAFile() {
    assertThatThrownBy(() -> Vault.init("jdbc:sqlite::memory:", passphrase()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs a file");
  }

  @Test
  void calibrationGrowsMemoryFirstThenPassesAndNeverGoesBelowTheFloor() {
    // a machine where one derivation costs 1 ns per KiB and pass
    java.util.function.ToLongFunction<KdfParams> cost =
        p -> (long) p.memoryKib() * p.iterations() * 1_000L;

    KdfParams quick =
        Calibrator.calibrate(Duration.ofMillis(1), KdfParams.FLOOR, 1 << 20, 64, cost);
    KdfParams moderate =
        Calibrator.calibrate(Duration.ofMillis(500), KdfParams.FLOOR, 1 << 20, 64, cost);
    KdfParams capped =
        Calibrator.calibrate(Duration.ofSeconds(2), KdfParams.FLOOR, 64 * 1024, 64, cost);

    assertThat(quick).isEqualTo(KdfParams.FLOOR);
    assertThat(moderate.iterations()).isEqualTo(2);
    assertThat(moderate.memoryKib()).isBetween(220 * 1024, 300 * 1024);
    assertThat(capped.memoryKib()).isEqualTo(64 * 1024);
    assertThat(capped.iterations()).isGreaterThanOrEqualTo(28);
    assertThat(List.of(quick, moderate, capped)).allMatch(p -> p.atLeast(KdfParams.FLOOR));
  }

  @Test
  void calibratingOnThisMachineGivesParametersAtLeastTheFloor() {
    KdfParams p = Vault.calibrate(Duration.ofMillis(50));

    assertThat(p.atLeast(KdfParams.FLOOR)).isTrue();
    assertThat(p.atMost(KdfParams.CEILING)).isTrue();
  }
}
