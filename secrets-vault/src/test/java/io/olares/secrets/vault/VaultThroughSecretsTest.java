package io.olares.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.vault.internal.Ed25519;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault behind the {@code Secrets} facade, as an app uses it. */
class VaultThroughSecretsTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.standing();
  final DeviceKey device = DeviceKey.generate();
  final DeviceKeyApprover approver =
      new DeviceKeyApprover(device, "alice@olares.com", "olares.com", clock);

  @Test
  void anAppWithADeviceKeyApproverReadsWritesAndSignsVaultItems() {
    try (Secrets secrets = secrets(true)) {
      try (SecretValue v = SecretValue.ofString("hunter2")) {
        secrets.put("vault://personal/github#password", v);
      }

      try (Secret secret = secrets.get("vault://personal/github#password")) {
        assertThat(secret.value().revealString()).isEqualTo("hunter2");
        assertThat(secret.metadata().labels()).containsEntry("kind", "api-secret");
      }
      assertThat(secrets.list("vault://personal")).hasSize(1);
    }
  }

  @Test
  void anAppWithoutAnApproverGetsTheChallengeAndRetriesWithTheSignedApproval() {
    try (Secrets secrets = secrets(false)) {
      try (SecretValue v = SecretValue.ofString("swordfish")) {
        secrets.put("vault://work/db", v);
      }
      SecretRef ref = SecretRef.parse("vault://work/db");

      ApprovalRequiredException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ApprovalRequiredException.class, () -> secrets.get(ref));
      ApprovalRequest request = e.request();
      Approval approval = approver.approve(request);

      try (Secret secret = secrets.get(ref, approval)) {
        assertThat(secret.value().revealString()).isEqualTo("swordfish");
      }
      assertThatThrownBy(() -> secrets.get(ref, approval)).hasMessageContaining("used before");
    }
  }

  @Test
  void findingAMissingItemIsEmptyAndGettingItNamesIt() {
    try (Secrets secrets = secrets(true)) {
      assertThat(secrets.find("vault://personal/nothing-here")).isEmpty();
      org.junit.jupiter.api.Assertions.assertThrows(
          io.olares.secrets.SecretNotFoundException.class,
          () -> secrets.get("vault://personal/nothing-here"));
    }
  }

  @Test
  void signingThroughTheFacadeUsesTheKeyInsideTheVault() {
    KeyInfo key;
    try (Secrets secrets = secrets(true)) {
      key = opened.vault().generateKey("keys/ed", KeyAlgorithm.ED25519);
      SecretRef ref = SecretRef.parse("vault://keys/ed");
      Approval approval = approver.approve(secrets.requestApproval(ref, Operation.SIGN));

      byte[] signature = secrets.sign(ref, "pay 5".getBytes(), approval);

      assertThat(Ed25519.verify(key.publicKey(), "pay 5".getBytes(), signature)).isTrue();
    }
  }

  private VaultStore opened;

  private Secrets secrets(boolean withApprover) {
    Vault vault =
        Vault.init(
            TestVaults.sqlite(dir),
            TestVaults.passphrase(),
            TestVaults.CHEAP,
            TestVaults.options(clock));
    try (VaultAdmin admin = vault.admin(TestVaults.passphrase())) {
      admin.trust(device.did());
    }
    opened = new VaultStore("vault", vault, ItemKind.API_SECRET);
    Secrets.Builder b =
        Secrets.builder()
            .app("myapp")
            .home(dir)
            .discovery(false)
            .clock(clock)
            .cache(CacheOptions.DISABLED)
            .environment(Map.<String, String>of()::get)
            .store(opened);
    if (withApprover) {
      b.approver(approver);
    }
    return b.build();
  }
}
