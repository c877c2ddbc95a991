package io.olares.secrets.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.SecretValue;
import org.junit.jupiter.api.Test;

class NonceAuthenticatorTest {
  // Expected values computed with the OpenSSL command line, an implementation independent of the
  // JDK's: printf 1700000000 | openssl enc -aes-128-cbc -K <key hex> -iv <key hex> | base64

  @Test
  void theNonceIsTheTimeEncryptedWithAes128CbcUnderTheKeyWithTheKeyAsIv() {
    try (SecretValue key = SecretValue.ofString("0123456789abcdef")) {
      assertThat(NonceAuthenticator.nonce(key, 1_700_000_000L))
          .isEqualTo("appservice:QXRXZKW0A9bj1nLtGsZqtA==");
    }
  }

  @Test
  void aLongerKeyUsesAes256AndItsFirstSixteenBytesAsIv() {
    try (SecretValue key = SecretValue.ofString("0123456789abcdef0123456789abcdef")) {
      assertThat(NonceAuthenticator.nonce(key, 1_700_000_000L))
          .isEqualTo("appservice:qL21KtpE0T2kLEq3EJY1DA==");
    }
  }
}
