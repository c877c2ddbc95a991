package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.approval.Base58;
import io.olares.secrets.approval.Bip39;
import io.olares.secrets.testing.TestData;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Bip32Test {
  /** The BIP39 reference vectors give each seed's BIP32 master key as an xprv. */
  @Test
  void theMasterKeyOfEveryBip39ReferenceSeedMatchesItsXprv() throws Exception {
    JsonNode vectors =
        new ObjectMapper().readTree(TestData.require("bip39/vectors.json").toFile()).get("english");
    int checked = 0;
    for (JsonNode v : vectors) {
      byte[] seed = Bip39.seed(v.get(1).asText(), "TREZOR");
      assertThat(HexFormat.of().formatHex(seed)).isEqualTo(v.get(2).asText());
      byte[] xprv = Base58.decode(v.get(3).asText());
      byte[] chainCode = Arrays.copyOfRange(xprv, 13, 45);
      byte[] key = Arrays.copyOfRange(xprv, 46, 78);

      Bip32.Node master = Bip32.master(seed);

      assertThat(master.chainCode()).as(v.get(3).asText()).isEqualTo(chainCode);
      assertThat(master.privateKey()).as(v.get(3).asText()).isEqualTo(key);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(24);
  }

  @Test
  void pathsMustStartAtTheMasterAndUseValidIndexes() {
    byte[] seed = new byte[32];
    for (String bad : new String[] {"44'/60'", "m/", "m/x", "m/-1", "m/2147483648", "m/+5"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bip32.derive(seed, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Bip32.derive(seed, "m/0/1'").privateKey()).hasSize(32);
  }
}
