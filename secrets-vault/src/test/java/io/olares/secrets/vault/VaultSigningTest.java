package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.vault.internal.Ed25519;
import io.olares.secrets.vault.internal.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultSigningTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ABANDON =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
          + " about";

  @TempDir Path dir;
  TestVaults.Fixture f;

  @BeforeEach
  void createVault() {
    f = TestVaults.Fixture.create(dir);
  }

  @AfterEach
  void closeVault() {
    f.close();
  }

  @Test
  void anEd25519ItemSignsInsideTheVaultAndItsDidIsItsAddress() {
    KeyInfo key = f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519);
    byte[] message = "transfer 1 OLA".getBytes(StandardCharsets.UTF_8);

    byte[] signature = f.vault.sign("keys/ed", message, APP, f.approve("keys/ed", Operation.SIGN));

    assertThat(signature).hasSize(64);
    assertThat(Ed25519.verify(key.publicKey(), message, signature)).isTrue();
    assertThat(key.address()).isEqualTo(DidKey.encode(key.publicKey()));
  }

  @Test
  void aSecp256k1ItemSignsTheKeccakHashWithLowSAndARecoveryByte() {
    KeyInfo key = f.vault.generateKey("keys/eth", KeyAlgorithm.SECP256K1);
    byte[] message = "hello ethereum".getBytes(StandardCharsets.UTF_8);

    byte[] sig = f.vault.sign("keys/eth", message, APP, f.approve("keys/eth", Operation.SIGN));

    assertThat(sig).hasSize(65);
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    Secp256k1.Signature parsed = new Secp256k1.Signature(r, s, sig[64] - 27);
    byte[] recovered = Secp256k1.recoverPublicKey(Secp256k1.keccak256(message), parsed);
    assertThat(Secp256k1.ethereumAddress(recovered)).isEqualTo(key.address());
    assertThat(key.address()).startsWith("0x").hasSize(42);
  }

  @Test
  void anImportedKeySignsADigestExactlyAsEip155Publishes() {
    byte[] eip155Key =
        HEX.parseHex("4646464646464646464646464646464646464646464646464646464646464646");
    try (SecretValue v = SecretValue.ofBytes(eip155Key)) {
      KeyInfo key = f.vault.importKey("keys/eip155", KeyAlgorithm.SECP256K1, v);
      assertThat(key.address()).isEqualToIgnoringCase("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
    }
    byte[] hash = HEX.parseHex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

    byte[] sig =
        f.vault.signDigest("keys/eip155", hash, APP, f.approve("keys/eip155", Operation.SIGN));

    assertThat(new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)))
        .isEqualTo(
            new BigInteger(
                "18515461264373351373200002665853028612451056578545711640558177340181847433846"));
    assertThat(sig[64]).isEqualTo((byte) 27);
  }

  @Test
  void signingWithoutApprovalAsksForASignApproval() {
    f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519);

    assertThatThrownBy(() -> f.vault.sign("keys/ed", new byte[] {1}, APP, null))
        .isInstanceOfSatisfying(
            ApprovalRequiredException.class,
            e -> assertThat(e.request().operation()).isEqualTo(Operation.SIGN));
  }

  @Test
  void onlyPrivateKeyItemsSignAndEd25519KeysDoNotSignDigests() {
    f.put("personal/github", "hunter2");
    f.vault.generateKey("keys/ed", KeyAlgorithm.ED25519);

    assertThatThrownBy(
            () ->
                f.vault.sign(
                    "personal/github",
                    new byte[] {1},
                    APP,
                    f.approve("personal/github", Operation.SIGN)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("only private-key items sign");
    assertThatThrownBy(
            () ->
                f.vault.signDigest(
                    "keys/ed", new byte[32], APP, f.approve("keys/ed", Operation.SIGN)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("not digests");
  }

  @Test
  void invalidPrivateKeysAreRefused() {
    try (SecretValue zero = SecretValue.ofBytes(new byte[32]);
        SecretValue shortKey = SecretValue.ofBytes(new byte[31])) {
      assertThatThrownBy(() -> f.vault.importKey("keys/a", KeyAlgorithm.SECP256K1, zero))
          .isInstanceOf(InvalidReferenceException.class);
      assertThatThrownBy(() -> f.vault.importKey("keys/b", KeyAlgorithm.ED25519, shortKey))
          .isInstanceOf(InvalidReferenceException.class);
    }
    assertThat(f.vault.list("keys")).isEmpty();
  }

  @Test
  void aMnemonicItemHoldsExactlyTheDeviceKeyLarePassDerivesFromTheSameWords() {
    DeviceKey larepass = DeviceKey.fromMnemonic(ABANDON);
    byte[] message = "approve".getBytes(StandardCharsets.UTF_8);

    KeyInfo key;
    try (SecretValue words =
        SecretValue.ofString(
            "  Abandon abandon abandon abandon abandon"
                + " abandon abandon abandon abandon abandon abandon ABOUT ")) {
      key = f.vault.importMnemonic("keys/larepass", words, KeyAlgorithm.ED25519);
    }
    byte[] signature =
        f.vault.sign("keys/larepass", message, APP, f.approve("keys/larepass", Operation.SIGN));

    assertThat(key.address()).isEqualTo(larepass.did());
    assertThat(signature).isEqualTo(larepass.sign(message));
    assertThat(f.readText("keys/larepass", "path")).isEqualTo("m");
  }

  @Test
  void aMnemonicItemGivesEthereumsFirstAccountForSecp256k1() {
    try (SecretValue words = SecretValue.ofString(ABANDON)) {
      KeyInfo key = f.vault.importMnemonic("keys/wallet", words, KeyAlgorithm.SECP256K1);

      assertThat(key.address()).isEqualTo("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    }
    assertThat(f.readText("keys/wallet", "path")).isEqualTo("m/44'/60'/0'/0/0");
    assertThatThrownBy(() -> f.readText("keys/wallet", "mnemonic"))
        .hasMessageContaining("never leaves the vault");
  }

  @Test
  void anInvalidMnemonicIsRefusedWithoutQuotingIt() {
    try (SecretValue words = SecretValue.ofString(ABANDON.replace("about", "zebra"))) {
      assertThatThrownBy(() -> f.vault.importMnemonic("keys/bad", words, KeyAlgorithm.ED25519))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageNotContaining("abandon")
          .hasMessageNotContaining("zebra");
    }
    assertThat(f.vault.info("keys/bad")).isEmpty();
  }
}
