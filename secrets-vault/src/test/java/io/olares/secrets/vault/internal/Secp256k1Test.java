package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.vault.Wycheproof;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Secp256k1Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

  /** The key and transaction hash of the example in EIP-155. */
  private static final byte[] EIP155_KEY =
      HEX.parseHex("4646464646464646464646464646464646464646464646464646464646464646");

  private static final byte[] EIP155_HASH =
      HEX.parseHex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

  @Test
  void wycheproofSecp256k1Sha256SignaturesVerifyExactlyWhenValid() throws Exception {
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : Wycheproof.cases("ecdsa_secp256k1_sha256_test.json")) {
      byte[] publicKey = HEX.parseHex(c.group().get("publicKey").get("uncompressed").asText());
      boolean verified = Secp256k1.verifyDerSha256(publicKey, c.hex("msg"), c.hex("sig"));
      assertThat(verified).as(c.label()).isEqualTo(c.valid());
      if (c.valid()) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertThat(valid).isGreaterThan(50);
    assertThat(invalid).isGreaterThan(200);
  }

  @Test
  void theEip155ExampleSignsToThePublishedRAndSWithRecoveryIdZero() {
    Secp256k1.Signature sig = Secp256k1.signDigest(EIP155_KEY, EIP155_HASH);

    assertThat(sig.r())
        .isEqualTo(
            new BigInteger(
                "18515461264373351373200002665853028612451056578545711640558177340181847433846"));
    assertThat(sig.s())
        .isEqualTo(
            new BigInteger(
                "46948507304638947509940763649030358759909902576025900602547168820602576006531"));
    assertThat(sig.recoveryId()).isZero();
  }

  @Test
  void theEip155ExampleKeyHasThePublishedSenderAddress() {
    String address = Secp256k1.ethereumAddress(Secp256k1.publicKey(EIP155_KEY, true));

    assertThat(address).isEqualToIgnoringCase("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
  }

  @Test
  void addressesGetTheEip55ChecksumCasing() {
    for (String expected :
        List.of(
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
      byte[] raw = HEX.parseHex(expected.substring(2).toLowerCase(java.util.Locale.ROOT));
      assertThat(Secp256k1.checksumAddress(raw)).isEqualTo(expected);
    }
  }

  @Test
  void keccak256OfNothingIsTheWellKnownEmptyHash() {
    assertThat(HEX.formatHex(Secp256k1.keccak256(new byte[0])))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Test
  void signaturesAreDeterministicLowSAndRecoverTheSignersKey() {
    byte[] key = HEX.parseHex("0101010101010101010101010101010101010101010101010101010101010101");
    byte[] publicKey = Secp256k1.publicKey(key, false);
    for (int i = 0; i < 64; i++) {
      byte[] digest = Secp256k1.keccak256(("message " + i).getBytes());
      Secp256k1.Signature sig = Secp256k1.signDigest(key, digest);

      assertThat(Secp256k1.signDigest(key, digest)).isEqualTo(sig);
      assertThat(sig.s()).isLessThanOrEqualTo(N.shiftRight(1));
      assertThat(Secp256k1.verifyDigest(publicKey, digest, sig.r(), sig.s())).isTrue();
      assertThat(Secp256k1.recoverPublicKey(digest, sig)).isEqualTo(publicKey);
      assertThat(sig.toEthereumBytes()[64]).isIn((byte) 27, (byte) 28);
    }
  }

  @Test
  void scalarsOutsideOneToNMinusOneAreNotPrivateKeys() {
    assertThat(Secp256k1.isValidPrivateKey(new byte[32])).isFalse();
    assertThat(Secp256k1.isValidPrivateKey(N.toByteArray())).isFalse();
    assertThat(Secp256k1.isValidPrivateKey(new byte[31])).isFalse();
    assertThat(Secp256k1.isValidPrivateKey(EIP155_KEY)).isTrue();
  }
}
