package io.olares.secrets.infisical.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;
import org.junit.jupiter.api.Test;

class LocationTest {

  @Test
  void splitsProjectEnvironmentFoldersAndName() {
    Location at =
        Location.of(
            SecretRef.parse("infisical://9370adb1-00b0-4064-8caf-4d5bdc79830a/dev/a/b/KEY"));

    assertThat(at.project()).isEqualTo("9370adb1-00b0-4064-8caf-4d5bdc79830a");
    assertThat(at.projectIsId()).isTrue();
    assertThat(at.environment()).isEqualTo("dev");
    assertThat(at.folders()).containsExactly("a", "b");
    assertThat(at.secretPath()).isEqualTo("/a/b");
    assertThat(at.name()).isEqualTo("KEY");
    assertThat(at.version()).isNull();
  }

  @Test
  void aSecretAtTheRootHasTheRootPathAndASlugIsNotAnId() {
    Location at = Location.of(SecretRef.parse("infisical://sdk-test/prod/KEY?version=3"));

    assertThat(at.projectIsId()).isFalse();
    assertThat(at.secretPath()).isEqualTo("/");
    assertThat(at.version()).isEqualTo(3);
  }

  @Test
  void aPrefixNeedsAnEnvironmentAndMayNameFolders() {
    assertThat(Location.prefix(SecretRef.parsePrefix("infisical://p/dev")).secretPath())
        .isEqualTo("/");
    assertThat(Location.prefix(SecretRef.parsePrefix("infisical://p/dev/x/y")).secretPath())
        .isEqualTo("/x/y");
    assertThatThrownBy(() -> Location.prefix(SecretRef.parsePrefix("infisical://p")))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("needs an environment");
  }

  @Test
  void versionsArePositiveIntegers() {
    for (String bad : new String[] {"0", "-1", "latest", "1.5", "99999999999"}) {
      assertThatThrownBy(() -> Location.of(SecretRef.parse("infisical://p/dev/K?version=" + bad)))
          .as(bad)
          .isInstanceOf(InvalidReferenceException.class);
    }
  }
}
