package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.cache.CacheOptions;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecretsExtensionBuilderTest {
  @RegisterExtension
  static final SecretsExtension SECRETS =
      SecretsExtension.builder()
          .app("myapp")
          .user("alice")
          .store("pods", Classification.POD_SECRET, "myapp-alice")
          .seed("pods://myapp-alice/DATABASE_URL", "postgres://made-up")
          .cache(CacheOptions.DEFAULTS)
          .build();

  @Test
  void aRegisteredExtensionBuildsTheFacadeItDescribes(Secrets secrets) {
    assertThat(secrets.app()).isEqualTo("myapp");
    assertThat(secrets.user()).contains("alice");
    assertThat(secrets.cacheStats()).isPresent();
    SecretRef ref = SecretRef.parse("pods://myapp-alice/DATABASE_URL");
    assertThat(secrets.describe(ref).owner()).isEqualTo("myapp-alice");
    try (Secret secret = secrets.get(ref)) {
      assertThat(secret.value().revealString()).isEqualTo("postgres://made-up");
    }
  }

  @Test
  void aSeedForAStoreThatWasNotDeclaredIsRejectedNamingIt() {
    SecretsExtension.Builder builder =
        SecretsExtension.builder().store("a", Classification.CREDENTIAL).seed("b://x/y", "v");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names store 'b', which is not declared")
        .hasMessageNotContaining("'v'");
  }

  @Test
  void aStoreDeclaredTwiceIsRejected() {
    SecretsExtension.Builder builder =
        SecretsExtension.builder().store("a", Classification.CREDENTIAL);

    assertThatThrownBy(() -> builder.store("a", Classification.POD_SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' is declared twice");
  }

  @Test
  void grantsBesideAnotherPolicyAreRejected() {
    SecretsExtension.Builder builder =
        SecretsExtension.builder().policy(new AllowAllPolicy()).grant("mem://a/**");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grants apply to DefaultPolicy only");
  }

  @Test
  void anInvalidGrantPatternIsRejectedWhenTheExtensionIsBuilt() {
    SecretsExtension.Builder builder = SecretsExtension.builder().grant("no-scheme");

    assertThatThrownBy(builder::build)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no-scheme");
  }

  @Test
  void grantsCanBeLimitedToSomeOperations() {
    SecretsExtension extension =
        SecretsExtension.builder()
            .grant("mem://ro/**", Operation.READ)
            .seed("mem://ro/x", "v")
            .build();
    SecretsExtension.Fixture fixture = SecretsExtension.Fixture.open(extension.setup());
    try {
      try (Secret secret = fixture.secrets.get("mem://ro/x")) {
        assertThat(secret.value().revealString()).isEqualTo("v");
      }
      assertThatThrownBy(() -> fixture.secrets.put("mem://ro/x", SecretValue.ofString("w")))
          .isInstanceOf(AccessDeniedException.class);
    } finally {
      fixture.close();
    }
  }

  @WithSecrets(policy = AllowAllPolicy.class, grants = "mem://a/**")
  void annotatedWithGrantsBesideAnotherPolicy() {}

  @Test
  void anAnnotationWithGrantsBesideAnotherPolicyIsAConfigurationError() throws Exception {
    WithSecrets annotation = annotationOf("annotatedWithGrantsBesideAnotherPolicy");

    assertThatThrownBy(() -> SecretsExtension.Setup.from(annotation))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("grants apply to DefaultPolicy only");
  }

  @WithSecrets(seed = @WithSecrets.Seed(ref = "elsewhere://x/y", value = "v"))
  void annotatedWithAStraySeed() {}

  @WithSecrets(policy = NoDefaultConstructor.class)
  void annotatedWithAnUnusablePolicy() {}

  /** A policy the extension cannot create. */
  public static final class NoDefaultConstructor implements io.olares.secrets.policy.Policy {
    public NoDefaultConstructor(String unused) {}

    @Override
    public io.olares.secrets.policy.Decision decide(
        io.olares.secrets.policy.AccessRequest request) {
      return io.olares.secrets.policy.Decision.allow("unused");
    }
  }

  @Test
  void anAnnotationWithAStraySeedIsAConfigurationError() throws Exception {
    WithSecrets annotation = annotationOf("annotatedWithAStraySeed");

    assertThatThrownBy(() -> SecretsExtension.Setup.from(annotation))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("@WithSecrets")
        .hasMessageContaining("'elsewhere'");
  }

  @Test
  void aPolicyWithoutANoArgumentConstructorIsAConfigurationErrorNamingIt() throws Exception {
    SecretsExtension.Setup setup =
        SecretsExtension.Setup.from(annotationOf("annotatedWithAnUnusablePolicy"));

    assertThatThrownBy(() -> SecretsExtension.Fixture.open(setup))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining(NoDefaultConstructor.class.getName());
  }

  private static WithSecrets annotationOf(String method) throws NoSuchMethodException {
    Method m = SecretsExtensionBuilderTest.class.getDeclaredMethod(method);
    return m.getAnnotation(WithSecrets.class);
  }
}
