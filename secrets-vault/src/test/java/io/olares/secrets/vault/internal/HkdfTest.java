package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.vault.Wycheproof;
import org.junit.jupiter.api.Test;

class HkdfTest {
  @Test
  void wycheproofHkdfSha256VectorsDeriveAsPublishedAndOversizedOutputsAreRefused()
      throws Exception {
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : Wycheproof.cases("hkdf_sha256_test.json")) {
      int size = c.test().get("size").asInt();
      byte[] ikm = c.hex("ikm");
      byte[] salt = c.hex("salt");
      byte[] info = c.hex("info");
      if (c.valid()) {
        assertThat(Hkdf.sha256(ikm, salt, info, size)).as(c.label()).isEqualTo(c.hex("okm"));
        valid++;
      } else {
        assertThatThrownBy(() -> Hkdf.sha256(ikm, salt, info, size))
            .as(c.label())
            .isInstanceOf(IllegalArgumentException.class);
        invalid++;
      }
    }
    assertThat(valid).isGreaterThan(50);
    assertThat(invalid).isPositive();
  }
}
