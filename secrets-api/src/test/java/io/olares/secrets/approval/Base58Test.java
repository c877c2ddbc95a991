package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base58Test {

  /** Bitcoin Core's base58 encode/decode vectors. */
  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource({
    "'',                                                  ''",
    "61,                                                  2g",
    "626262,                                              a3gV",
    "636363,                                              aPEr",
    "73696d706c792061206c6f6e6720737472696e67,            2cFupjhnEsSn59qHXstmK2ffpLv2",
    "00eb15231dfceb60925886b67d065299925915aeb172c06647,  1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
    "516b6fcd0f,                                          ABnLTmg",
    "bf4f89001e670274dd,                                  3SEo3LWLoPntC",
    "572e4794,                                            3EFU7m",
    "ecac89cad93923c02321,                                EJDM8drfXA6uyA",
    "10c8511e,                                            Rt5zm",
    "00000000000000000000,                                1111111111",
  })
  void encodesAndDecodesTheBitcoinVectors(String hexBytes, String text) {
    assertThat(Base58.encode(hex(hexBytes))).isEqualTo(text);
    assertThat(hex(Base58.decode(text))).isEqualTo(hexBytes);
  }

  @Test
  void roundTripsRandomBytesWithLeadingZeros() {
    SecureRandom random = new SecureRandom();
    for (int len = 0; len < 70; len++) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      if (len > 2) {
        data[0] = 0;
        data[1] = 0;
      }
      assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    }
  }

  @ParameterizedTest(name = "rejects {0}")
  @CsvSource({"abc0, 3", "Oabc, 0", "abIc, 2", "abcl, 3", "ab+c, 2", "ab c, 2", "abé, 2"})
  void namesTheOffsetOfACharacterOutsideTheAlphabet(String text, int offset) {
    assertThatThrownBy(() -> Base58.decode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("character at offset " + offset + " is not in the base58btc alphabet");
  }
}
