package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.ApprovalRejectedException.Reason;
import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.approval.Jws;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every approval the vault must refuse, each with its own reason, and the ones it must take. */
class VaultApprovalTest {
  @TempDir Path dir;
  TestVaults.Fixture f;

  @BeforeEach
  void createVault() {
    f = TestVaults.Fixture.create(dir);
    f.put("personal/github", "hunter2");
    f.put("personal/gitlab", "swordfish");
  }

  @AfterEach
  void closeVault() {
    f.close();
  }

  @Test
  void aReadWithoutApprovalAsksForOneBoundToThisVaultItemOperationAndApp() {
    ApprovalRequiredException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApprovalRequiredException.class,
            () -> f.vault.readField("personal/github", null, APP, null));

    ApprovalRequest request = e.request();
    assertThat(request.audience()).isEqualTo(f.vault.id());
    assertThat(request.subject())
        .isEqualTo(f.vault.approvalRequest("personal/github", Operation.READ, APP).subject())
        .isNotEqualTo(f.vault.approvalRequest("personal/gitlab", Operation.READ, APP).subject());
    assertThat(request.operation()).isEqualTo(Operation.READ);
    assertThat(request.app()).isEqualTo(APP);
    assertThat(request.issuedAt()).isEqualTo(f.clock.instant());
    assertThat(e.getMessage()).contains(request.challenge()).doesNotContain("hunter2");

    Approval answered = f.approver.approve(request);
    try (SecretValue v = f.vault.readField("personal/github", null, APP, answered)) {
      assertThat(v.revealString()).isEqualTo("hunter2");
    }
  }

  @Test
  void aFreshApprovalFromTheTrustedDeviceIsAcceptedOnce() {
    Approval approval = f.approve("personal/github", Operation.READ);

    try (SecretValue v = f.vault.readField("personal/github", null, APP, approval)) {
      assertThat(v.revealString()).isEqualTo("hunter2");
    }
    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, approval), Reason.REPLAYED);
  }

  @Test
  void aReplayIsRefusedAfterTheVaultIsOpenedAgain() {
    Approval approval = f.approve("personal/github", Operation.READ);
    f.vault.readField("personal/github", null, APP, approval).close();

    f.restart();

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, approval), Reason.REPLAYED);
  }

  @Test
  void aReplayIsRefusedByASecondProcessOnTheSameVault() {
    Approval approval = f.approve("personal/github", Operation.READ);
    f.vault.readField("personal/github", null, APP, approval).close();

    try (Vault other = f.reopen()) {
      assertRejected(
          () -> other.readField("personal/github", null, APP, approval), Reason.REPLAYED);
    }
  }

  @Test
  void anApprovalSignedByAnUntrustedDeviceIsRefused() {
    DeviceKeyApprover stranger =
        new DeviceKeyApprover(DeviceKey.generate(), "mallory@olares.com", "olares.com", f.clock);
    Approval approval =
        stranger.approve(f.vault.approvalRequest("personal/github", Operation.READ, APP));

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, approval), Reason.UNTRUSTED_DID);
  }

  @Test
  void anApprovalWithABrokenSignatureIsRefused() {
    Approval good = f.approve("personal/github", Operation.READ);
    String jws = good.jws();
    int dot = jws.lastIndexOf('.');
    char last = jws.charAt(dot + 1);
    String forged = jws.substring(0, dot + 1) + (last == 'A' ? 'B' : 'A') + jws.substring(dot + 2);
    Approval approval = new Approval(good.request(), forged);

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, approval), Reason.BAD_SIGNATURE);
  }

  @Test
  void anApprovalOlderThanFiveMinutesIsRefused() {
    Approval approval = f.approve("personal/github", Operation.READ);
    f.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    assertRejected(() -> f.vault.readField("personal/github", null, APP, approval), Reason.EXPIRED);
  }

  @Test
  void anApprovalFromBeyondTheClockSkewIsRefused() {
    f.clock.advance(Duration.ofMinutes(2));
    Approval approval = f.approve("personal/github", Operation.READ);
    f.clock.advance(Duration.ofMinutes(-2));

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, approval), Reason.FROM_THE_FUTURE);
  }

  @Test
  void anApprovalWithinTheClockSkewIsAccepted() {
    f.clock.advance(Duration.ofSeconds(20));
    Approval approval = f.approve("personal/github", Operation.READ);
    f.clock.advance(Duration.ofSeconds(-20));

    f.vault.readField("personal/github", null, APP, approval).close();
  }

  @Test
  void anApprovalForAnotherItemIsRefused() {
    Approval forGitlab = f.approve("personal/gitlab", Operation.READ);

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, forGitlab), Reason.WRONG_CHALLENGE);
  }

  @Test
  void anApprovalForAnotherOperationIsRefused() {
    f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519);
    Approval toRead = f.approve("keys/ed", Operation.READ);

    assertRejected(
        () -> f.vault.sign("keys/ed", new byte[] {1}, APP, toRead), Reason.WRONG_CHALLENGE);
  }

  @Test
  void anApprovalForAnotherAppIsRefused() {
    Approval forApp = f.approve("personal/github", Operation.READ);

    assertRejected(
        () -> f.vault.readField("personal/github", null, "another-app", forApp),
        Reason.WRONG_CHALLENGE);
  }

  @Test
  void anApprovalForTheSameNameInAnotherVaultIsRefused() throws Exception {
    Path otherDir = dir.resolve("other");
    java.nio.file.Files.createDirectories(otherDir);
    Approval fromOther;
    try (Vault other =
        Vault.init(
            TestVaults.sqlite(otherDir),
            TestVaults.passphrase(),
            TestVaults.CHEAP,
            TestVaults.options(f.clock))) {
      try (SecretValue v = SecretValue.ofString("other")) {
        other.putField("personal/github", null, v);
      }
      fromOther = f.approver.approve(other.approvalRequest("personal/github", Operation.READ, APP));
    }

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, fromOther), Reason.WRONG_CHALLENGE);
  }

  @Test
  void aSignatureOverAnotherChallengeWithThisRequestAttachedIsRefused() {
    ApprovalRequest real = f.vault.approvalRequest("personal/github", Operation.READ, APP);
    ApprovalRequest other = f.vault.approvalRequest("personal/github", Operation.READ, APP);
    String jwsForOther = f.approver.approve(other).jws();

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, new Approval(real, jwsForOther)),
        Reason.WRONG_CHALLENGE);
  }

  @Test
  void anItemDeletedAndWrittenAgainIsANewItemThatOldApprovalsDoNotReach() {
    Approval old = f.approve("personal/github", Operation.READ);
    f.vault.delete("personal/github");
    f.put("personal/github", "new value");

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, old), Reason.WRONG_CHALLENGE);
  }

  @Test
  void aMalformedApprovalIsRefused() {
    ApprovalRequest request = f.vault.approvalRequest("personal/github", Operation.READ, APP);

    assertRejected(
        () -> f.vault.readField("personal/github", null, APP, new Approval(request, "not.a.jws")),
        Reason.MALFORMED);
  }

  @Test
  void anUntrustedDeviceLosesAccessAtOnceEvenInAnotherOpenProcess() {
    try (Vault other = f.reopen()) {
      try (VaultAdmin admin = f.vault.admin(TestVaults.passphrase())) {
        admin.untrust(f.device.did());
        assertThat(admin.trusted()).isEmpty();
      }
      Approval approval =
          f.approver.approve(other.approvalRequest("personal/github", Operation.READ, APP));

      assertRejected(
          () -> other.readField("personal/github", null, APP, approval), Reason.UNTRUSTED_DID);
    }
  }

  @Test
  void changingTheTrustListNeedsThePassphraseAndAValidDid() {
    assertThatThrownBy(() -> f.vault.admin("wrong".toCharArray()))
        .isInstanceOf(VaultUnlockException.class);
    try (VaultAdmin admin = f.vault.admin(TestVaults.passphrase())) {
      assertThatThrownBy(() -> admin.trust("did:key:zNotAKey"))
          .isInstanceOf(InvalidReferenceException.class);
      String second = DeviceKey.generate().did();

      assertThat(admin.trust(second)).containsExactlyInAnyOrder(f.device.did(), second);
      assertThat(admin.trust(second)).hasSize(2);
      assertThat(f.vault.trusted()).contains(second);
    }
  }

  @Test
  void aDidAddedToTheTrustListInStorageIsDetected() {
    String intruder = DeviceKey.generate().did();
    Sql.update(
        f.url,
        "UPDATE vault_header SET trusted_dids = trusted_dids || ? WHERE id = 1",
        "\n" + intruder);
    DeviceKeyApprover mallory =
        new DeviceKeyApprover(DeviceKey.fromSeed(new byte[32]), "m", "d", f.clock);

    assertThatThrownBy(() -> f.vault.trusted())
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("header");
    assertThatThrownBy(
            () ->
                f.vault.readField(
                    "personal/github",
                    null,
                    APP,
                    mallory.approve(
                        f.vault.approvalRequest("personal/github", Operation.READ, APP))))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void aTrustListRolledBackToAnOlderRevisionIsDetectedByAProcessThatSawTheNewerOne() {
    java.util.Map<String, Object> before =
        Sql.query(
                f.url,
                "SELECT trust_revision, trusted_dids, updated_at, header_mac FROM vault_header")
            .get(0);
    try (VaultAdmin admin = f.vault.admin(TestVaults.passphrase())) {
      admin.untrust(f.device.did());
    }
    Sql.update(
        f.url,
        "UPDATE vault_header SET trust_revision = ?, trusted_dids = ?, updated_at = ?,"
            + " header_mac = ? WHERE id = 1",
        before.get("trust_revision"),
        before.get("trusted_dids"),
        before.get("updated_at"),
        before.get("header_mac"));

    assertThatThrownBy(() -> f.vault.trusted())
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("rolled back");
  }

  @Test
  void theJwsCarriesLarePassFieldsAndTheRequestChallenge() {
    Approval approval = f.approve("personal/github", Operation.READ);
    Jws jws = Jws.parse(approval.jws());

    assertThat(jws.kid()).isEqualTo(f.device.did());
    assertThat(jws.payload().challenge()).isEqualTo(approval.request().challenge());
    assertThat(jws.payload().name()).isEqualTo("alice@olares.com");
  }

  private static void assertRejected(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApprovalRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageNotContaining("hunter2");
  }
}
