package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassificationTest {

  @Test
  void describesFiveKindsEachWithStorageExposureAndRule() {
    assertThat(Classification.values()).hasSize(5);
    for (Classification c : Classification.values()) {
      assertThat(c.storage()).isNotBlank();
      assertThat(c.exposure()).isNotBlank();
      assertThat(c.ruleOfUse()).isNotBlank();
    }
  }

  @Test
  void onlyVaultItemsNeedAnApprovalPerUse() {
    assertThat(Classification.VAULT_ITEM.approvalPerUse()).isTrue();
    assertThat(Classification.CREDENTIAL.approvalPerUse()).isFalse();
    assertThat(Classification.POD_SECRET.approvalPerUse()).isFalse();
  }

  @Test
  void exceptionsOfEveryKindShareOneUncheckedRoot() {
    assertThat(RuntimeException.class).isAssignableFrom(SecretsException.class);
    for (Class<?> type :
        new Class<?>[] {
          SecretNotFoundException.class,
          AccessDeniedException.class,
          ApprovalRequiredException.class,
          InvalidReferenceException.class,
          IntegrityException.class,
          StoreUnavailableException.class,
          ConfigurationException.class,
          ApprovalRejectedException.class
        }) {
      assertThat(SecretsException.class).isAssignableFrom(type);
    }
  }
}
