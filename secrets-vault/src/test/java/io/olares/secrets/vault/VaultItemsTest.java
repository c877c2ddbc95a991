package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultItemsTest {
  @TempDir Path dir;
  TestVaults.Fixture f;

  @BeforeEach
  void createVault() {
    f = TestVaults.Fixture.create(dir);
  }

  @AfterEach
  void closeVault() {
    f.close();
  }

  @Test
  void aLoginItemKeepsItsFieldsAndReadsItsPasswordByDefault() {
    try (VaultItem login =
        VaultItem.builder(ItemKind.LOGIN)
            .field("username", "alice")
            .field("password", "correct horse")
            .field("url", "https://github.com")
            .field("totp", "JBSWY3DPEHPK3PXP")
            .build()) {
      f.vault.put("personal/github", login);
    }

    assertThat(f.readText("personal/github")).isEqualTo("correct horse");
    assertThat(f.readText("personal/github", "username")).isEqualTo("alice");
    assertThat(f.readText("personal/github", "totp")).isEqualTo("JBSWY3DPEHPK3PXP");
    try (VaultItem item =
        f.vault.read("personal/github", APP, f.approve("personal/github", Operation.READ))) {
      assertThat(item.kind()).isEqualTo(ItemKind.LOGIN);
      assertThat(item.fieldNames()).containsExactly("password", "totp", "url", "username");
      assertThat(item.toString()).doesNotContain("alice", "correct horse");
    }
  }

  @Test
  void everyKindHasItsDefaultField() {
    List<ItemKind> kinds =
        List.of(ItemKind.LOGIN, ItemKind.DATABASE_CREDENTIAL, ItemKind.API_SECRET, ItemKind.NOTE);
    for (ItemKind kind : kinds) {
      String name = "kinds/" + kind.wireName();
      try (SecretValue v = SecretValue.ofString("value of " + kind.wireName());
          VaultItem item = VaultItem.of(kind, v)) {
        f.vault.put(name, item);
      }

      assertThat(f.readText(name)).isEqualTo("value of " + kind.wireName());
      assertThat(f.vault.info(name).orElseThrow().kind()).isEqualTo(kind);
    }
  }

  @Test
  void writingOneFieldKeepsTheOthersAndRaisesTheVersion() {
    try (VaultItem db =
        VaultItem.builder(ItemKind.DATABASE_CREDENTIAL)
            .field("host", "db.internal")
            .field("username", "app")
            .field("password", "first")
            .build()) {
      ItemInfo first = f.vault.put("work/db", db);
      assertThat(first.version()).isEqualTo(1);
    }
    f.clock.advance(Duration.ofSeconds(5));

    ItemInfo second;
    try (SecretValue v = SecretValue.ofString("second")) {
      second = f.vault.putField("work/db", "password", v);
    }

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.kind()).isEqualTo(ItemKind.DATABASE_CREDENTIAL);
    assertThat(second.updated()).isEqualTo(second.created().plusSeconds(5));
    assertThat(f.readText("work/db")).isEqualTo("second");
    assertThat(f.readText("work/db", "host")).isEqualTo("db.internal");
  }

  @Test
  void aFieldWrittenToANewNameMakesAnApiSecretItem() {
    f.put("ci/token", "ghp_example");

    ItemInfo info = f.vault.info("ci/token").orElseThrow();
    assertThat(info.kind()).isEqualTo(ItemKind.API_SECRET);
    assertThat(f.readText("ci/token", "secret")).isEqualTo("ghp_example");
  }

  @Test
  void aMissingFieldOrItemIsNotFound() {
    f.put("ci/token", "x");

    assertThatThrownBy(() -> f.readText("ci/token", "nope"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("no field 'nope'");
    assertThatThrownBy(() -> f.vault.approvalRequest("ci/other", Operation.READ, APP))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("ci/other");
    assertThat(f.vault.info("ci/other")).isEmpty();
  }

  @Test
  void listingShowsNamesKindsAndVersionsBelowAPrefixSorted() {
    f.put("personal/b", "1");
    f.put("personal/a", "2");
    f.put("personal/a", "3");
    f.put("personal/sub/c", "4");
    f.put("personalx/d", "5");
    f.put("work/e", "6");

    assertThat(f.vault.list("personal").stream().map(ItemInfo::name))
        .containsExactly("personal/a", "personal/b", "personal/sub/c");
    assertThat(f.vault.list("personal/sub").stream().map(ItemInfo::name))
        .containsExactly("personal/sub/c");
    assertThat(f.vault.list(null)).hasSize(5);
    assertThat(f.vault.list("personal").get(0).version()).isEqualTo(2);
  }

  @Test
  void listingDecryptsNamesOnlyNeverValues() {
    f.put("personal/a", "alpha");
    Sql.update(
        f.url,
        "UPDATE items SET value_ct = ? WHERE version = 1",
        "not a ciphertext".getBytes(StandardCharsets.UTF_8));

    assertThat(f.vault.list("personal")).extracting(ItemInfo::name).containsExactly("personal/a");
    assertThatThrownBy(() -> f.readText("personal/a")).isInstanceOf(IntegrityException.class);
  }

  @Test
  void deletingRemovesTheItemAndOnlyThatItem() {
    f.put("personal/a", "alpha");
    f.put("personal/b", "beta");

    assertThat(f.vault.delete("personal/a")).isTrue();
    assertThat(f.vault.delete("personal/a")).isFalse();

    assertThat(f.vault.info("personal/a")).isEmpty();
    assertThat(f.readText("personal/b")).isEqualTo("beta");
    assertThat(f.vault.verifyIntegrity()).isEqualTo(1);
  }

  @Test
  void namesAreCanonicalReferencePathsAndBadOnesAreRefused() {
    f.put("personal/a%2Fb", "one segment");
    f.put("personal/a/b", "two segments");

    assertThat(f.readText("personal/a%2fb")).isEqualTo("one segment");
    assertThat(f.readText("personal/a/b")).isEqualTo("two segments");
    for (String bad :
        List.of("", "personal", "personal//x", "personal/../x", "vault://p/x", "p/x#f")) {
      assertThatThrownBy(() -> f.put(bad, "v"))
          .as(bad)
          .isInstanceOf(InvalidReferenceException.class);
    }
    assertThatThrownBy(() -> f.vault.putField("p/x", "bad field!", SecretValue.ofString("v")))
        .isInstanceOf(InvalidReferenceException.class);
  }

  @Test
  void theStorageHoldsNoNameNoFieldNameAndNoValueInClear() throws Exception {
    try (VaultItem login =
        VaultItem.builder(ItemKind.LOGIN)
            .field("username", "zanzibar-user")
            .field("password", "quixotic-password-42")
            .build()) {
      f.vault.put("personal/marmalade-site", login);
    }
    f.close();

    byte[] all;
    try (Stream<Path> files = Files.list(dir)) {
      all =
          files
              .map(
                  p -> {
                    try {
                      return Files.readAllBytes(p);
                    } catch (java.io.IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .reduce(new byte[0], VaultItemsTest::concat);
    }
    String raw = new String(all, StandardCharsets.ISO_8859_1);
    assertThat(raw)
        .doesNotContain("marmalade", "zanzibar", "quixotic", "username", "login")
        .contains("items");
    f.vault = f.reopen();
  }

  @Test
  void aPrivateKeyNeverComesOutAndAFailedAttemptDoesNotSpendTheApproval() {
    KeyInfo key = f.vault.generateKey("keys/eth", KeyAlgorithm.SECP256K1);
    Approval approval = f.approve("keys/eth", Operation.READ);

    assertThatThrownBy(() -> f.vault.readField("keys/eth", "privateKey", APP, approval))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("never leaves the vault");
    try (SecretValue publicKey = f.vault.readField("keys/eth", null, APP, approval)) {
      assertThat(publicKey.revealBytes()).isEqualTo(key.publicKey());
    }
    try (VaultItem item = f.vault.read("keys/eth", APP, f.approve("keys/eth", Operation.READ))) {
      assertThat(item.fieldNames()).containsExactly("address", "algorithm", "publicKey");
    }
  }

  @Test
  void aPrivateKeyItemIsNeitherOverwrittenNorReplacedByAWrite() {
    f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519);

    assertThatThrownBy(() -> f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> f.put("keys/ed", "overwrite"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("is a private key");
    try (SecretValue v = SecretValue.ofString("x");
        VaultItem note = VaultItem.of(ItemKind.NOTE, v)) {
      assertThatThrownBy(() -> f.vault.put("keys/ed", note))
          .isInstanceOf(AccessDeniedException.class);
    }
    assertThat(f.vault.info("keys/ed").orElseThrow().kind()).isEqualTo(ItemKind.PRIVATE_KEY);
  }

  @Test
  void binaryValuesOfEveryByteAndEmptyValuesComeBackExactly() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    try (SecretValue v = SecretValue.ofBytes(all);
        SecretValue empty = SecretValue.ofBytes(new byte[0])) {
      f.vault.putField("bin/all", null, v);
      f.vault.putField("bin/empty", null, empty);
    }

    assertThat(f.readBytes("bin/all", null)).isEqualTo(all);
    assertThat(f.readBytes("bin/empty", null)).isEmpty();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
