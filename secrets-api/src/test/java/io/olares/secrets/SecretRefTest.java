package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRefTest {

  @Test
  void parsesEveryPartOfAFullReference() {
    SecretRef ref = SecretRef.parse("vault://personal/web/github?version=3#password");
    assertThat(ref.store()).isEqualTo("vault");
    assertThat(ref.container()).isEqualTo("personal");
    assertThat(ref.path()).containsExactly("web", "github");
    assertThat(ref.name()).contains("github");
    assertThat(ref.version()).contains("3");
    assertThat(ref.field()).contains("password");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vault://personal/github#password",
        "infisical://myapp/prod/DB_PASSWORD",
        "k8s://myapp-alice/myapp-secrets#DATABASE_URL",
        "integration://google/alice@gmail.com#accessToken",
        "pod://env/DATABASE_URL",
        "pod://file/var/run/secrets/db/password",
        "infisical://p/prod/folder/sub/NAME?version=2",
        "x://a%2Fb/c%20d#f%23g"
      })
  void roundTripsTheDesignExamplesThroughItsTextForm(String text) {
    SecretRef ref = SecretRef.parse(text);
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
    assertThat(ref.toString()).isEqualTo(text);
  }

  @Test
  void decodesPercentEscapesExactlyOnce() {
    SecretRef ref = SecretRef.parse("x://c/a%252Fb");
    assertThat(ref.path()).containsExactly("a%2Fb");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void keepsUnicodeSegmentsAndRoundTripsThem() {
    SecretRef ref = SecretRef.parse("vault://личное/пароль-🔑#поле");
    assertThat(ref.container()).isEqualTo("личное");
    assertThat(ref.path()).containsExactly("пароль-🔑");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bad::ref|no '<store>://' prefix",
        "://c/p|store name",
        "1x://c/p|store name",
        "x:///p|container is empty",
        "x://c//p|path segment 1 is empty",
        "x://c/./p|must not be '.'",
        "x://c/../p|must not be '..'",
        "x://c|has no path",
        "x://c/p?foo=1|query parameter 'foo' is not supported",
        "x://c/p?version=1&version=2|given twice",
        "x://c/p?version=|version is empty",
        "x://c/p#|field is empty",
        "x://c/p%zz|invalid percent-escape",
        "x://c/p%2|truncated percent-escape",
        "x://c/p%00|control character U+0000",
        "x://c/p%ff|invalid UTF-8",
        "x://c/%2E%2E|must not be '..'"
      })
  void rejectsMalformedReferencesNamingTheBadPart(String text, String expected) {
    assertThatThrownBy(() -> SecretRef.parse(text))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void rejectsRawControlCharacters() {
    assertThatThrownBy(() -> SecretRef.parse("x://c/a\nb"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("U+000A");
  }

  @Test
  void everyAcceptedReferenceHasATextFormWithinTheLimitThatParsesBack() {
    SecretRef unicode = SecretRef.parse("mem://app/" + "é".repeat(800));
    assertThat(SecretRef.parse(unicode.toString())).isEqualTo(unicode);
    assertThat(unicode.toString()).contains("ééé");

    String spaces = "mem://app/" + "%20".repeat(1300);
    assertThat(spaces.length()).isLessThan(SecretRef.MAX_LENGTH);
    SecretRef encoded = SecretRef.parse(spaces);
    assertThat(SecretRef.parse(encoded.toString())).isEqualTo(encoded);

    assertThatThrownBy(() -> SecretRef.of("mem", "app", "\u00a0".repeat(2000)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("canonical form");
  }

  @Test
  void keepsInvisibleUnicodeEscapedInTheTextForm() {
    SecretRef ref = SecretRef.of("x", "c", "a\u200bb\u00a0c");
    assertThat(ref.toString()).isEqualTo("x://c/a%E2%80%8Bb%C2%A0c");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void rejectsOverlongReferences() {
    String text = "x://c/" + "a".repeat(SecretRef.MAX_LENGTH);
    assertThatThrownBy(() -> SecretRef.parse(text))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void acceptsAContainerOnlyPrefixForListing() {
    SecretRef prefix = SecretRef.parsePrefix("vault://personal");
    assertThat(prefix.path()).isEmpty();
    assertThat(prefix.covers(SecretRef.parse("vault://personal/a/b"))).isTrue();
    assertThat(prefix.covers(SecretRef.parse("vault://other/a"))).isFalse();
  }

  @Test
  void coversOnlyWholeSegments() {
    SecretRef prefix = SecretRef.parsePrefix("x://c/app");
    assertThat(prefix.covers(SecretRef.parse("x://c/app/key"))).isTrue();
    assertThat(prefix.covers(SecretRef.parse("x://c/apple"))).isFalse();
  }

  @Test
  void buildsFromDecodedPartsAndValidatesThem() {
    SecretRef ref = SecretRef.of("x", "c", List.of("a/b", "n"), "2", "f");
    assertThat(ref.toString()).isEqualTo("x://c/a%2Fb/n?version=2#f");
    assertThatThrownBy(() -> SecretRef.of("x", "c", ".."))
        .isInstanceOf(InvalidReferenceException.class);
  }

  @Test
  void baseDropsVersionAndField() {
    SecretRef ref = SecretRef.parse("x://c/p?version=2#f");
    assertThat(ref.base().toString()).isEqualTo("x://c/p");
    assertThat(ref.withField("g").field()).contains("g");
    assertThat(ref.withVersion(null).version()).isEmpty();
  }
}
