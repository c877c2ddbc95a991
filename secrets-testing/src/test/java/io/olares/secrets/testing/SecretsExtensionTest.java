package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.policy.AccessRequest;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.policy.Policy;
import io.olares.secrets.spi.AccessContext;
import org.junit.jupiter.api.Test;

@WithSecrets(
    app = "myapp",
    stores = {
      @WithSecrets.Store(name = "creds"),
      @WithSecrets.Store(name = "own", classification = Classification.APPLICATION_CREDENTIAL)
    },
    seed = {
      @WithSecrets.Seed(ref = "creds://shared/token", value = "made-up-token"),
      @WithSecrets.Seed(ref = "own://myapp/api-key", value = "made-up-key")
    },
    grants = "creds://shared/**")
class SecretsExtensionTest {

  @Test
  void aTestGetsAFacadeForTheDeclaredAppWithItsSeededSecrets(Secrets secrets) {
    assertThat(secrets.app()).isEqualTo("myapp");
    assertThat(secrets.stores())
        .containsExactly(
            java.util.Map.entry("creds", "memory"), java.util.Map.entry("own", "memory"));
    try (Secret token = secrets.get("creds://shared/token");
        Secret key = secrets.get("own://myapp/api-key")) {
      assertThat(token.value().revealString()).isEqualTo("made-up-token");
      assertThat(token.classification()).isEqualTo(Classification.CREDENTIAL);
      assertThat(key.value().revealString()).isEqualTo("made-up-key");
      assertThat(key.classification()).isEqualTo(Classification.APPLICATION_CREDENTIAL);
    }
  }

  @Test
  void anApplicationCredentialStoreIsOwnedByTheContainer(Secrets secrets) {
    assertThat(secrets.describe(SecretRef.parse("own://myapp/api-key")).owner()).isEqualTo("myapp");
  }

  @Test
  void theInjectedStoreIsTheOneBehindTheFacade(
      Secrets secrets, @WithSecrets.StoreName("creds") MemoryStore creds) {
    SecretRef ref = SecretRef.parse("creds://shared/other");
    creds.write(
        ref, SecretValue.ofString("written directly"), AccessContext.of("t", Operation.WRITE));

    try (Secret secret = secrets.get(ref)) {
      assertThat(secret.value().revealString()).isEqualTo("written directly");
    }
  }

  @Test
  void putThenGetRoundTripsThroughTheFacade(Secrets secrets) {
    secrets.put("creds://shared/new", SecretValue.ofString("fresh"));

    try (Secret secret = secrets.get("creds://shared/new")) {
      assertThat(secret.value().revealString()).isEqualTo("fresh");
    }
  }

  @Test
  void theAuditRecordNamesTheAppOperationAndOutcome(Secrets secrets, RecordingAuditSink audit) {
    secrets.find("creds://shared/missing");

    AuditEvent event = audit.last();
    assertThat(event.app()).isEqualTo("myapp");
    assertThat(event.operation()).isEqualTo(Operation.READ);
    assertThat(event.reference()).isEqualTo("creds://shared/missing");
    assertThat(event.outcome()).isEqualTo("not_found");
  }

  @Test
  @WithSecrets(app = "other", seed = @WithSecrets.Seed(ref = "mem://a/b", value = "v"))
  void anAnnotationOnTheMethodReplacesTheClassOne(Secrets secrets, MemoryStore only) {
    assertThat(secrets.app()).isEqualTo("other");
    assertThat(secrets.stores()).containsOnlyKeys("mem");
    assertThat(only.name()).isEqualTo("mem");
    assertThat(only.versions(SecretRef.parse("mem://a/b"))).containsExactly("1");
  }

  @Test
  void theProductionPolicyDecidesByDefaultSoAnUngrantedCredentialIsDenied(
      Secrets secrets, RecordingAuditSink audit) {
    assertThatThrownBy(() -> secrets.get("creds://elsewhere/token"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("creds://elsewhere/token");
    assertThat(audit.last().outcome()).isEqualTo("denied");
  }

  @Test
  void anotherAppsCredentialIsDeniedWhateverTheGrants(Secrets secrets) {
    secrets.put("own://myapp/mine", SecretValue.ofString("made-up"));

    assertThatThrownBy(() -> secrets.get("own://otherapp/theirs"))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  @WithSecrets(
      policy = AllowAllPolicy.class,
      seed = @WithSecrets.Seed(ref = "mem://anything/x", value = "v"))
  void theAllowAllPolicyLiftsTheRules(Secrets secrets) {
    try (Secret secret = secrets.get("mem://anything/x")) {
      assertThat(secret.value().revealString()).isEqualTo("v");
    }
  }

  /** Denies everything, so tests can see how code copes with refusals. */
  public static final class DenyAll implements Policy {
    @Override
    public Decision decide(AccessRequest request) {
      return Decision.deny("nothing is allowed here");
    }
  }

  @Test
  @WithSecrets(policy = DenyAll.class, seed = @WithSecrets.Seed(ref = "mem://a/b", value = "v"))
  void aNamedPolicyDecides(Secrets secrets, RecordingAuditSink audit) {
    assertThatThrownBy(() -> secrets.get("mem://a/b"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("nothing is allowed here");
    assertThat(audit.last().outcome()).isEqualTo("denied");
  }
}
