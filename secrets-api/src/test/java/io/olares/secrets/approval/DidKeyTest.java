package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.approval.InvalidDidException.Problem;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DidKeyTest {

  /** Published did:key documents: the DID and its Ed25519 verification key in base58btc. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th, 8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K",
    "did:key:z6Mkgg342Ycpuk263R9d8Aq6MUaxPn1DDeHyGo38EefXmgDL, 3Dn1SJNPaCXcvvJvSbsFWP2xaCjMom3can8CQNhWrTRx",
    "did:key:z6MkvePyWAApUVeDboZhNbckaWHnqtD6pCETd6xoqGbcpEBV, HC8vuuvP8x9kVJizh2eujQjo2JwFQJz6w63szzdbu1Q7",
    "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp, 4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
  })
  void matchesPublishedDidKeyDocuments(String did, String publicKeyBase58) {
    byte[] key = Base58.decode(publicKeyBase58);

    assertThat(DidKey.encode(key)).isEqualTo(did);
    assertThat(DidKey.decode(did)).isEqualTo(key);
  }

  @Test
  void theSpecificationsExampleDecodesToAnEd25519KeyAndBack() {
    String did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    byte[] key = DidKey.decode(did);

    assertThat(hex(key))
        .isEqualTo("2e6fcce36701dc791488e0d0b1745cc1e33a4c1c9fcc41c63bd343dbbe0970e6");
    assertThat(DidKey.encode(key)).isEqualTo(did);
  }

  @Test
  void theAllZeroSeedHasThePublishedDid() {
    assertThat(DeviceKey.fromSeed(new byte[32]).did())
        .isEqualTo("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
  }

  @Test
  void roundTripsRandomKeys() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      String did = DidKey.encode(key);
      assertThat(did).startsWith("did:key:z6Mk");
      assertThat(DidKey.decode(did)).isEqualTo(key);
      assertThat(DidKey.isValid(did)).isTrue();
    }
  }

  @Test
  void encodeRefusesAKeyOfTheWrongLength() {
    assertThatThrownBy(() -> DidKey.encode(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, not 31");
  }

  private static String didOf(byte... data) {
    return "did:key:z" + Base58.encode(data);
  }

  private static byte[] prefixed(int c0, int c1, int keyLength) {
    byte[] data = new byte[2 + keyLength];
    Arrays.fill(data, (byte) 7);
    data[0] = (byte) c0;
    data[1] = (byte) c1;
    return data;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "WRONG_PREFIX, did:web:example.com",
    "WRONG_PREFIX, did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "WRONG_PREFIX, DID:KEY:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "WRONG_PREFIX, did:key:m7QFeXtIx4s6e0D4V8uWGfvULwqgCZmrBK6O8CDrFtH4",
    "WRONG_PREFIX, ''",
    "BAD_BASE58,   did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0",
    "BAD_BASE58,   did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doI",
    "BAD_BASE58,   did:key:z6MkhaXgBZDvotDkL5257fa/ztiGiC2QtKLGpbnnEGta2doK",
    "WRONG_LENGTH, did:key:z",
  })
  void namesTheProblemOfAMalformedDid(Problem problem, String did) {
    assertThatThrownBy(() -> DidKey.decode(did))
        .isInstanceOfSatisfying(
            InvalidDidException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .isInstanceOf(ConfigurationException.class);
    assertThat(DidKey.isValid(did)).isFalse();
  }

  @Test
  void refusesAnotherKeyTypesMulticodec() {
    String secp256k1 = didOf(prefixed(0xe7, 0x01, 33));
    String x25519 = didOf(prefixed(0xec, 0x01, 32));

    for (String did : new String[] {secp256k1, x25519}) {
      assertThatThrownBy(() -> DidKey.decode(did))
          .isInstanceOfSatisfying(
              InvalidDidException.class,
              e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_MULTICODEC))
          .hasMessageContaining("not Ed25519 (0xed 0x01)");
    }
    assertThatThrownBy(() -> DidKey.decode(secp256k1)).hasMessageContaining("0xe7 0x01");
  }

  @Test
  void refusesAnEd25519PrefixWithTheWrongKeyLength() {
    for (int len : new int[] {0, 1, 31, 33, 64}) {
      String did = didOf(prefixed(0xed, 0x01, len));
      assertThatThrownBy(() -> DidKey.decode(did))
          .isInstanceOfSatisfying(
              InvalidDidException.class,
              e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_LENGTH))
          .hasMessageContaining("holds " + len + " key bytes");
    }
  }

  @Test
  void refusesATextTooLongToBeADidKeyBeforeDecodingIt() {
    String did = "did:key:z" + "2".repeat(10_000);

    assertThatThrownBy(() -> DidKey.decode(did))
        .isInstanceOfSatisfying(
            InvalidDidException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_LENGTH))
        .hasMessageContaining("too long");
  }

  @Test
  void aOneByteBodyIsTooShortRatherThanTheWrongCodec() {
    assertThatThrownBy(() -> DidKey.decode(didOf((byte) 0xed)))
        .isInstanceOfSatisfying(
            InvalidDidException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_LENGTH));
  }
}
