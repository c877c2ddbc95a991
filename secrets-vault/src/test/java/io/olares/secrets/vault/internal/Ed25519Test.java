package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.vault.Wycheproof;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  @Test
  void wycheproofEd25519SignaturesVerifyExactlyWhenValid() throws Exception {
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : Wycheproof.cases("ed25519_test.json")) {
      byte[] publicKey = HexFormat.of().parseHex(c.group().get("publicKey").get("pk").asText());
      assertThat(Ed25519.verify(publicKey, c.hex("msg"), c.hex("sig")))
          .as(c.label())
          .isEqualTo(c.valid());
      if (c.valid()) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertThat(valid).isPositive();
    assertThat(invalid).isPositive();
  }

  /** RFC 8032, section 7.1, test 1: the empty message. */
  @Test
  void theRfc8032FirstVectorSignsAsPublished() {
    HexFormat hex = HexFormat.of();
    byte[] key = hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    assertThat(hex.formatHex(Ed25519.publicKey(key)))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(hex.formatHex(Ed25519.sign(key, new byte[0])))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }
}
