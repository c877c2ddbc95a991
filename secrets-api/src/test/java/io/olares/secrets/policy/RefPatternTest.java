package io.olares.secrets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.SecretRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefPatternTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "infisical://shared/prod/db,          infisical://shared/prod/db,            true",
    "infisical://shared/prod/db,          infisical://shared/prod/db2,           false",
    "infisical://shared/prod/db,          infisical://shared/prod,               false",
    "infisical://shared/prod/*,           infisical://shared/prod/db,            true",
    "infisical://shared/prod/*,           infisical://shared/prod/db/password,   false",
    "infisical://shared/prod/*,           infisical://shared/prod,               false",
    "infisical://shared/prod/db-*,        infisical://shared/prod/db-main,       true",
    "infisical://shared/prod/db-*,        infisical://shared/prod/cache-main,    false",
    "infisical://shared/prod/**,          infisical://shared/prod,               true",
    "infisical://shared/prod/**,          infisical://shared/prod/db,            true",
    "infisical://shared/prod/**,          infisical://shared/prod/db/password,   true",
    "infisical://shared/prod/**,          infisical://shared/production/db,      false",
    "infisical://shared/prod/**,          infisical://shared/dev/db,             false",
    "infisical://shared/prod/**,          other://shared/prod/db,                false",
    "infisical://shared/**/token,         infisical://shared/token,              true",
    "infisical://shared/**/token,         infisical://shared/a/b/token,          true",
    "infisical://shared/**/token,         infisical://shared/a/b/tokens,         false",
    "infisical://**,                      infisical://anything/at/all,           true",
    "*://shared/prod/db,                  k8s://shared/prod/db,                  true",
    "k8s://myapp-*/**,                    k8s://myapp-alice/db-password,         true",
    "k8s://myapp-*/**,                    k8s://other-alice/db-password,         false",
    "infisical://shared/a.b/x,            infisical://shared/aXb/x,              false",
    "infisical://shared/prod/Db,          infisical://shared/prod/db,            false",
  })
  void matchesTheBaseReferenceText(String pattern, String ref, boolean expected) {
    assertThat(RefPattern.compile(pattern).matches(SecretRef.parsePrefix(ref))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "version and field are ignored: {0}")
  @CsvSource({
    "infisical://shared/prod/db?version=3",
    "infisical://shared/prod/db#password",
    "infisical://shared/prod/db?version=3#password"
  })
  void ignoresVersionAndField(String ref) {
    assertThat(RefPattern.compile("infisical://shared/prod/db").matches(SecretRef.parse(ref)))
        .isTrue();
  }

  @ParameterizedTest(name = "rejects {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                         | empty",
        "shared/prod/**             | not of the form",
        "infisical://shared/pr od   | whitespace",
        "infisical://shared/prod**  | whole path segment",
        "infisical://shared/***     | whole path segment",
        "infisical://shared/x?v=1   | version or field",
        "infisical://shared/x#f     | version or field",
      })
  void rejectsMalformedPatternsWithAReason(String pattern, String reason) {
    assertThatThrownBy(() -> RefPattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
