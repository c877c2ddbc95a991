package io.olares.secrets.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.olares.secrets.SecretRef;
import org.junit.jupiter.api.Test;

/**
 * The findings of the fuzz targets, each as a plain test that states the documented behaviour it
 * checks. Tests tagged {@code open-finding} fail until the finding is fixed; the default build
 * excludes that tag (see this module's pom) so that it stays green meanwhile, and {@code mvn -pl
 * fuzz -am test -Dfuzz.excludedGroups=none} shows them failing.
 */
class FindingsRegressionTest {

  /**
   * Found by {@link SecretRefFuzzTest}: {@link SecretRef#toString()} used to percent-encode every
   * non-ASCII character, so a reference within {@link SecretRef#MAX_LENGTH} could print to a text
   * beyond it, which {@link SecretRef#parse} then rejected. Printable Unicode now stays literal and
   * every accepted reference's canonical form is checked against the limit.
   */
  @Test
  void theTextFormOfAnyParsedReferenceParsesBackToAnEqualReference() {
    String text = "mem://app/" + "é".repeat(800);
    SecretRef ref = SecretRef.parse(text);

    assertThat(ref.toString().length()).isLessThanOrEqualTo(SecretRef.MAX_LENGTH);
    assertThatCode(() -> SecretRef.parse(ref.toString())).doesNotThrowAnyException();
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void aReferenceWhoseTextFormFitsTheLimitRoundTrips() {
    SecretRef ref = SecretRef.parse("mem://app/" + "é".repeat(100) + "#f");

    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }
}
