package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2idTest {
  /** RFC 9106, section 5.3: Argon2id, version 0x13, m=32 KiB, t=3, p=4, with secret and AD. */
  @Test
  void theRfc9106Argon2idVectorDerivesThePublishedTag() {
    byte[] password = filled(32, 0x01);
    byte[] salt = filled(16, 0x02);
    byte[] secret = filled(8, 0x03);
    byte[] ad = filled(12, 0x04);

    byte[] tag = Argon2id.derive(password, salt, 32, 3, 4, secret, ad, 32);

    assertThat(HexFormat.of().formatHex(tag))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  }

  @Test
  void everyParameterChangesTheDerivedKey() {
    byte[] password = "passphrase".getBytes();
    byte[] salt = filled(16, 0x07);
    byte[] base = Argon2id.derive(password, salt, 64, 2, 1, null, null, 32);

    assertThat(Argon2id.derive(password, salt, 72, 2, 1, null, null, 32)).isNotEqualTo(base);
    assertThat(Argon2id.derive(password, salt, 64, 3, 1, null, null, 32)).isNotEqualTo(base);
    assertThat(Argon2id.derive(password, salt, 64, 2, 2, null, null, 32)).isNotEqualTo(base);
    assertThat(Argon2id.derive(password, filled(16, 0x08), 64, 2, 1, null, null, 32))
        .isNotEqualTo(base);
    assertThat(Argon2id.derive(password, salt, 64, 2, 1, null, null, 32)).isEqualTo(base);
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
