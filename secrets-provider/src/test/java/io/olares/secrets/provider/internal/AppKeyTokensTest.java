package io.olares.secrets.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppKeyTokensTest {
  private static final String ALPHABET =
      "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  static Stream<Arguments> openBsdVectors() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in =
        AppKeyTokensTest.class.getResourceAsStream("/bcrypt/openbsd-vectors.tsv")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        int tab = line.indexOf('\t');
        out.add(Arguments.of(line.substring(0, tab), line.substring(tab + 1)));
      }
    }
    return out.stream();
  }

  /** Decodes bcrypt's 22-character salt into its 16 bytes. */
  private static byte[] salt(String hash) {
    String encoded = hash.substring(7, 29);
    byte[] out = new byte[16];
    int bits = 0;
    int acc = 0;
    int n = 0;
    for (char c : encoded.toCharArray()) {
      acc = (acc << 6) | ALPHABET.indexOf(c);
      bits += 6;
      if (bits >= 8 && n < 16) {
        bits -= 8;
        out[n++] = (byte) (acc >> bits);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("openBsdVectors")
  void bouncyCastleReproducesTheOpenBsdReferenceVectors(String password, String expected) {
    int cost = Integer.parseInt(expected.substring(4, 6));
    String hash =
        OpenBSDBCrypt.generate(
            "2a", password.getBytes(StandardCharsets.UTF_8), salt(expected), cost);

    assertThat(hash).isEqualTo(expected);
    assertThat(OpenBSDBCrypt.checkPassword(expected, password.getBytes(StandardCharsets.UTF_8)))
        .isTrue();
  }

  @Test
  void theTokenIsBcryptOfKeyThenDecimalTimestampThenSecret() {
    byte[] salt = salt("$2a$06$If6bvum7DFjUnE9p2uDeDu");
    try (SecretValue secret = SecretValue.ofString("s3cr3t-app-secret")) {
      String token = AppKeyTokens.token("2a", "app-key-1", 1_700_000_000L, secret, salt, 6);

      String expected =
          OpenBSDBCrypt.generate(
              "2a",
              "app-key-11700000000s3cr3t-app-secret".getBytes(StandardCharsets.UTF_8),
              salt,
              6);
      assertThat(token).isEqualTo(expected).startsWith("$2a$06$If6bvum7DFjUnE9p2uDeDu");
      assertThat(
              OpenBSDBCrypt.checkPassword(
                  token, "app-key-11700000000s3cr3t-app-secret".toCharArray()))
          .isTrue();
      assertThat(
              OpenBSDBCrypt.checkPassword(
                  token, "app-key-11700000001s3cr3t-app-secret".toCharArray()))
          .isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b", "2y"})
  void everyPrefixCarriesTheSameHashAndVerifies(String version) {
    byte[] salt = salt("$2a$06$m0CrhHm10qJ3lXRY.5zDGO");
    try (SecretValue secret = SecretValue.ofString("secret")) {
      String token = AppKeyTokens.token(version, "key", 42L, secret, salt, 6);
      String reference = AppKeyTokens.token("2a", "key", 42L, secret, salt, 6);

      assertThat(token).startsWith("$" + version + "$06$");
      assertThat(token.substring(4)).isEqualTo(reference.substring(4));
      assertThat(OpenBSDBCrypt.checkPassword(token, "key42secret".toCharArray())).isTrue();
    }
  }

  @Test
  void theDefaultCostIsTenAndThePrefixIsTwoA() {
    try (SecretValue secret = SecretValue.ofString("secret")) {
      String token = AppKeyTokens.token(AppKeyTokens.VERSION, "key", 42L, secret, new byte[16], 10);
      assertThat(token).startsWith("$2a$10$");
    }
  }
}
