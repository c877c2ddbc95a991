package io.olares.secrets.infisical.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueCodecTest {

  private static String stored(String text) {
    return new String(ValueCodec.encode(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String roundTrip(String stored) {
    return new String(ValueCodec.decode(stored.toCharArray()), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3cr3t-é✓",
        "",
        "\n",
        "line one\nline two\n",
        "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n",
        "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=",
        "olares-b64",
        "inner  spaces stay"
      })
  void textTheServerKeepsTravelsAsItself(String text) {
    assertThat(stored(text)).isEqualTo(text);
    assertThat(roundTrip(stored(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " leading",
        "trailing ",
        "\ttab",
        "crlf\r\n",
        "two newlines\n\n",
        "space before newline \n",
        "\u00a0nbsp",
        "ideographic\u3000",
        "bom\ufeff",
        "nul\0",
        "olares-b64:aGk="
      })
  void textTheServerWouldAlterTravelsAsMarkedBase64(String text) {
    assertThat(stored(text)).startsWith(ValueCodec.MARKER);
    assertThat(roundTrip(stored(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 255, 256, 4097})
  void bytesThatAreNotUtf8TravelAsMarkedBase64(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (0x80 + i % 64);
    }

    char[] stored = ValueCodec.encode(bytes);

    assertThat(new String(stored)).startsWith(ValueCodec.MARKER);
    assertThat(ValueCodec.decode(stored)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"olares-b64:not base64!", "olares-b64:é"})
  void aForeignValueThatOnlyLooksMarkedIsReturnedAsText(String foreign) {
    assertThat(roundTrip(foreign)).isEqualTo(foreign);
  }

  @ParameterizedTest
  @ValueSource(
      chars = {
        '\t', '\n', 0x0B, '\f', '\r', ' ', 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F,
        0x205F, 0x3000, 0xFEFF
      })
  void knowsEveryCharacterJavaScriptsTrimRemoves(char c) {
    assertThat(ValueCodec.isJsSpace(c)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(chars = {'a', '0', 0x200B, 0x180E, 0x85, '_'})
  void leavesOtherCharactersAlone(char c) {
    assertThat(ValueCodec.isJsSpace(c)).isFalse();
  }
}
