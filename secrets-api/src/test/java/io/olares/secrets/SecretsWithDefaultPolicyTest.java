package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.olares.secrets.ApprovalRejectedException.Reason;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.approval.Jws;
import io.olares.secrets.config.SecretsConfig;
import io.olares.secrets.fakes.FakeStore;
import io.olares.secrets.fakes.RecordingAuditSink;
import io.olares.secrets.spi.ResourceInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade with the policy and approvals built from configuration: the default policy, a device
 * key that approves locally, and the JWS verifier, with real Ed25519 signatures.
 */
class SecretsWithDefaultPolicyTest {
  @TempDir Path dir;

  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final FakeStore creds = new FakeStore("creds", Classification.CREDENTIAL);
  private final FakeStore vault = new FakeStore("vault", Classification.VAULT_ITEM);
  private final FakeStore apps =
      new FakeStore("apps", Classification.APPLICATION_CREDENTIAL)
          .classifyingBy(
              ref ->
                  new ResourceInfo(Classification.APPLICATION_CREDENTIAL, ref.container(), null));

  @BeforeEach
  void seed() {
    creds.seed("creds://shared/prod/API_TOKEN", "token");
    creds.seed("creds://private/prod/ROOT", "root");
    vault.seed("vault://personal/github", "gh-pw");
    apps.seed("apps://myapp/own/KEY", "mine");
    apps.seed("apps://otherapp/own/KEY", "theirs");
  }

  private Secrets build(String yaml) {
    return Secrets.builder()
        .config(SecretsConfig.parse(yaml, "test.yaml", Map.of("DIR", dir.toString())::get))
        .audit(audit)
        .discovery(false)
        .store(creds)
        .store(vault)
        .store(apps)
        .build();
  }

  private static String text(Secret secret) {
    try (secret) {
      return secret.value().revealString();
    }
  }

  @Test
  void withoutAPolicyInCodeTheDefaultPolicyAppliesTheConfiguredGrants() {
    try (Secrets secrets =
        build(
            "app: myapp\n"
                + "policy:\n"
                + "  grants:\n"
                + "    - { ref: \"creds://shared/**\", ops: [read] }\n")) {
      assertThat(text(secrets.get("creds://shared/prod/API_TOKEN"))).isEqualTo("token");

      assertThatThrownBy(() -> secrets.get("creds://private/prod/ROOT"))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(creds.reads).hasValue(1);
    }
  }

  @Test
  void theDefaultPolicyKeepsAnotherAppsOwnCredentialsClosed() {
    try (Secrets secrets = build("app: myapp\n")) {
      assertThat(text(secrets.get("apps://myapp/own/KEY"))).isEqualTo("mine");

      assertThatThrownBy(() -> secrets.get("apps://otherapp/own/KEY"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("otherapp");
      assertThat(apps.reads).hasValue(1);
    }
  }

  @Test
  void aPolicyErrorNamesTheKeyPathAndLine() {
    assertThatThrownBy(
            () ->
                SecretsConfig.parse(
                    "app: myapp\npolicy:\n  grants:\n    - { ref: \"creds://shared/**\", ops: [] }\n",
                    "test.yaml",
                    name -> null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("test.yaml line 4: ")
        .hasMessageContaining("grants[0]");
  }

  @Test
  void aConfiguredDeviceKeyApprovesVaultReadsWithARealSignature() {
    DeviceKey key = DeviceKey.generate();
    Path keyFile = dir.resolve("device.key");
    key.save(keyFile);

    try (Secrets secrets =
        build(
            "app: myapp\napproval: { deviceKey: \"${DIR}/device.key\", name: alice@olares.com }\n")) {
      assertThat(text(secrets.get("vault://personal/github#password"))).isEqualTo("gh-pw");

      Approval used = vault.contexts.get(0).approval();
      Jws jws = Jws.parse(used.jws());
      assertThat(jws.kid()).isEqualTo(key.did());
      assertThat(used.request().subject()).isEqualTo("vault://personal/github");
      assertThat(vault.contexts.get(0).approval().request().audience()).isEqualTo("vault");

      ApprovalRejectedException replay =
          assertThrows(
              ApprovalRejectedException.class,
              () -> secrets.get(SecretRef.parse("vault://personal/github"), used));
      assertThat(replay.reason()).isEqualTo(Reason.REPLAYED);
      assertThat(vault.reads).hasValue(1);
    }
  }

  @Test
  void aReadApprovedElsewhereAfterTheChallengeSucceeds() {
    DeviceKey phone = DeviceKey.generate();
    try (Secrets secrets =
        build("app: myapp\napproval: { trustedDids: [\"" + phone.did() + "\"] }\n")) {
      SecretRef ref = SecretRef.parse("vault://personal/github");
      ApprovalRequiredException required =
          assertThrows(ApprovalRequiredException.class, () -> secrets.get(ref));
      assertThat(vault.reads).hasValue(0);

      Approval approval =
          new DeviceKeyApprover(phone, "alice@olares.com", "olares.com", Clock.systemUTC())
              .approve(required.request());

      assertThat(text(secrets.get(ref, approval))).isEqualTo("gh-pw");
    }
  }

  @Test
  void anApprovalByAnUntrustedKeyIsRejectedAndNothingIsRead() {
    DeviceKey phone = DeviceKey.generate();
    DeviceKey stranger = DeviceKey.generate();
    try (Secrets secrets =
        build("app: myapp\napproval: { trustedDids: [\"" + phone.did() + "\"] }\n")) {
      SecretRef ref = SecretRef.parse("vault://personal/github");
      Approval forged =
          new DeviceKeyApprover(stranger, "mallory", "olares.com", Clock.systemUTC())
              .approve(secrets.requestApproval(ref, Operation.READ));

      ApprovalRejectedException e =
          assertThrows(ApprovalRejectedException.class, () -> secrets.get(ref, forged));

      assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_DID);
      assertThat(vault.reads).hasValue(0);
      assertThat(audit.last().outcome()).isEqualTo("denied");
    }
  }

  @Test
  void withNoApprovalSettingsAVaultReadIsDeniedForLackOfAVerifier() {
    try (Secrets secrets = build("app: myapp\n")) {
      assertThatThrownBy(() -> secrets.get("vault://personal/github"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("no approval verifier is configured");
    }
  }
}
