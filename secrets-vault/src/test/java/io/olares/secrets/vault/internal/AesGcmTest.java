package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.vault.Wycheproof;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  @Test
  void wycheproofVectorsWithA96BitNonceAndA128BitTagEncryptAndDecryptAsPublished()
      throws Exception {
    List<Wycheproof.Case> cases =
        Wycheproof.cases("aes_gcm_test.json").stream()
            .filter(c -> c.group().get("ivSize").asInt() == 96)
            .filter(c -> c.group().get("tagSize").asInt() == 128)
            .toList();
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : cases) {
      byte[] key = c.hex("key");
      byte[] nonce = c.hex("iv");
      byte[] aad = c.hex("aad");
      byte[] msg = c.hex("msg");
      byte[] sealed = concat(c.hex("ct"), c.hex("tag"));
      if (c.valid()) {
        assertThat(AesGcm.encrypt(key, nonce, msg, aad)).as(c.label()).isEqualTo(sealed);
        assertThat(AesGcm.decrypt(key, nonce, sealed, aad)).as(c.label()).isEqualTo(msg);
        valid++;
      } else {
        assertThatThrownBy(() -> AesGcm.decrypt(key, nonce, sealed, aad))
            .as(c.label())
            .isInstanceOf(IntegrityException.class);
        invalid++;
      }
    }
    assertThat(valid).as("valid cases run").isGreaterThan(50);
    assertThat(invalid).as("invalid cases run").isGreaterThan(10);
  }

  @Test
  void changingOneBitOfTheAssociatedDataMakesDecryptionFail() {
    byte[] key = new byte[32];
    byte[] nonce = AesGcm.newNonce(new SecureRandom());
    byte[] ad = "vault/item/7".getBytes();
    byte[] sealed = AesGcm.encrypt(key, nonce, "secret".getBytes(), ad);
    byte[] changed = ad.clone();
    changed[changed.length - 1] ^= 1;

    assertThatThrownBy(() -> AesGcm.decrypt(key, nonce, sealed, changed))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("tag");
  }

  @Test
  void freshNoncesDifferSoEqualPlaintextsGiveDifferentCiphertexts() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    byte[] a = AesGcm.encrypt(key, AesGcm.newNonce(random), new byte[16], new byte[0]);
    byte[] b = AesGcm.encrypt(key, AesGcm.newNonce(random), new byte[16], new byte[0]);

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aTruncatedCiphertextOrAWrongNonceLengthIsAnIntegrityFailure() {
    byte[] key = new byte[32];

    assertThatThrownBy(() -> AesGcm.decrypt(key, new byte[12], new byte[15], new byte[0]))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> AesGcm.decrypt(key, new byte[11], new byte[32], new byte[0]))
        .isInstanceOf(IntegrityException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
