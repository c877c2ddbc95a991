package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.CHEAP;
import static io.olares.secrets.vault.TestVaults.options;
import static io.olares.secrets.vault.TestVaults.passphrase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.StoreUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultAdminTest {
  private static final char[] NEW_PASSPHRASE = "a much longer new passphrase".toCharArray();

  @TempDir Path dir;
  TestVaults.Fixture f;

  @BeforeEach
  void createVault() {
    f = TestVaults.Fixture.create(dir);
    for (int i = 0; i < 20; i++) {
      f.put("personal/item-" + i, "value " + i);
    }
  }

  @AfterEach
  void closeVault() {
    f.close();
  }

  @Test
  void rekeyChangesThePassphraseWithoutTouchingAnyItemRow() {
    List<Map<String, Object>> before = rows("items");
    try (Vault other = f.reopen()) {
      f.vault.rekey(passphrase(), NEW_PASSPHRASE.clone());

      assertThat(rows("items")).usingRecursiveComparison().isEqualTo(before);
      assertThat(readWith(other, "personal/item-3"))
          .as("another open process keeps working")
          .isEqualTo("value 3");
    }
    assertThatThrownBy(f::reopen).isInstanceOf(VaultUnlockException.class);
    try (Vault reopened = Vault.open(f.url, NEW_PASSPHRASE.clone(), options(f.clock))) {
      assertThat(readWith(reopened, "personal/item-7")).isEqualTo("value 7");
    }
  }

  @Test
  void rekeyCanRaiseTheParametersButNotLowerThemBelowTheFloor() {
    KdfParams stronger = new KdfParams(512, 3, 1);
    try (VaultAdmin admin = f.vault.admin(passphrase())) {
      assertThatThrownBy(() -> admin.rekey(NEW_PASSPHRASE.clone(), new KdfParams(32, 1, 1)))
          .isInstanceOf(IllegalArgumentException.class);

      admin.rekey(NEW_PASSPHRASE.clone(), stronger);
      admin.trust(io.olares.secrets.approval.DeviceKey.generate().did());
    }

    assertThat(f.vault.kdfParams()).isEqualTo(stronger);
    try (Vault reopened = Vault.open(f.url, NEW_PASSPHRASE.clone(), options(f.clock))) {
      assertThat(reopened.kdfParams()).isEqualTo(stronger);
      assertThat(reopened.trusted()).hasSize(2);
    }
  }

  @Test
  void rotationReEncryptsEveryItemReportsProgressAndKeepsEveryValue() {
    List<Map<String, Object>> before = rows("items");
    List<long[]> progress = new ArrayList<>();

    try (VaultAdmin admin = f.vault.admin(passphrase())) {
      admin.rotate((done, total) -> progress.add(new long[] {done, total}));
    }

    assertThat(progress).hasSize(20);
    assertThat(progress.get(19)).containsExactly(20, 20);
    List<Map<String, Object>> after = rows("items");
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).get("value_ct")).isNotEqualTo(before.get(i).get("value_ct"));
      assertThat(after.get(i).get("name_ct")).isNotEqualTo(before.get(i).get("name_ct"));
    }
    assertThat(Sql.value(f.url, "SELECT key_generation FROM vault_header")).isEqualTo(2);
    assertThat(f.readText("personal/item-11")).isEqualTo("value 11");
    f.restart();
    assertThat(f.readText("personal/item-12")).isEqualTo("value 12");
    assertThat(f.vault.verifyIntegrity()).isEqualTo(20);
  }

  @Test
  void aProcessStillHoldingTheOldKeyIsToldToOpenTheVaultAgain() {
    try (Vault other = f.reopen()) {
      try (VaultAdmin admin = f.vault.admin(passphrase())) {
        admin.rotate(RotationProgress.NONE);
      }

      assertThatThrownBy(() -> other.list("personal"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("open it again");
      assertThat(f.put("personal/x", "y").version()).as("the rotating process goes on").isOne();
    }
    try (Vault reopened = f.reopen()) {
      assertThat(readWith(reopened, "personal/item-5")).isEqualTo("value 5");
    }
  }

  @Test
  void rotationRefusesToReAuthenticateATamperedVaultAndChangesNothing() {
    Sql.update(f.url, "UPDATE items SET version = version + 1 WHERE rowid = 3");
    List<Map<String, Object>> before = rows("items");

    try (VaultAdmin admin = f.vault.admin(passphrase())) {
      assertThatThrownBy(() -> admin.rotate(RotationProgress.NONE))
          .isInstanceOf(IntegrityException.class);
    }

    assertThat(rows("items")).usingRecursiveComparison().isEqualTo(before);
    assertThat(Sql.value(f.url, "SELECT key_generation FROM vault_header")).isEqualTo(1);
  }

  @Test
  void anAdminSessionRefusesWorkAfterAnotherProcessRekeyed() {
    try (Vault other = f.reopen();
        VaultAdmin stale = f.vault.admin(passphrase())) {
      other.rekey(passphrase(), NEW_PASSPHRASE.clone());

      assertThatThrownBy(() -> stale.rotate(RotationProgress.NONE))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("rekeyed or rotated");
    }
    try (Vault reopened = Vault.open(f.url, NEW_PASSPHRASE.clone(), options(f.clock))) {
      assertThat(readWith(reopened, "personal/item-0")).isEqualTo("value 0");
    }
  }

  @Test
  void aClosedAdminSessionCannotBeUsed() {
    VaultAdmin admin = f.vault.admin(passphrase());
    admin.close();

    assertThatThrownBy(() -> admin.trust(f.device.did())).isInstanceOf(IllegalStateException.class);
    assertThat(CHEAP).isEqualTo(f.vault.kdfParams());
  }

  private List<Map<String, Object>> rows(String table) {
    return Sql.query(f.url, "SELECT * FROM " + table + " ORDER BY rowid");
  }

  private String readWith(Vault vault, String name) {
    try (var v =
        vault.readField(
            name,
            null,
            TestVaults.APP,
            f.approver.approve(
                vault.approvalRequest(name, io.olares.secrets.Operation.READ, TestVaults.APP)))) {
      return v.revealString();
    }
  }
}
