package io.olares.secrets.vault;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.vault.internal.Ed25519;
import io.olares.secrets.vault.internal.Secp256k1;
import java.util.Arrays;

/** What private-key items do inside the vault: derive their public half, and sign. Stateless. */
final class KeyItems {
  private KeyItems() {}

  static byte[] publicKeyOf(KeyAlgorithm algorithm, byte[] key) {
    if (algorithm == KeyAlgorithm.ED25519) {
      if (key.length != Ed25519.KEY_BYTES) {
        throw new InvalidReferenceException(
            "an Ed25519 private key is 32 bytes, not " + key.length);
      }
      return Ed25519.publicKey(key);
    }
    if (!Secp256k1.isValidPrivateKey(key)) {
      throw new InvalidReferenceException(
          "a secp256k1 private key is a 32-byte scalar between 1 and the group order");
    }
    return Secp256k1.publicKey(key, true);
  }

  static String addressOf(KeyAlgorithm algorithm, byte[] publicKey) {
    return algorithm == KeyAlgorithm.SECP256K1
        ? Secp256k1.ethereumAddress(publicKey)
        : DidKey.encode(publicKey);
  }

  /**
   * Signs with a decrypted private-key item: {@code message} (Ed25519, or secp256k1 over its
   * Keccak-256 hash), or {@code digest} as given (secp256k1 only).
   */
  static byte[] sign(String name, VaultItem item, byte[] digest, byte[] message) {
    KeyAlgorithm algorithm =
        KeyAlgorithm.fromWireName(
            item.field("algorithm")
                .orElseThrow(() -> new IntegrityException("key item has no algorithm"))
                .revealString());
    if (digest != null && algorithm != KeyAlgorithm.SECP256K1) {
      throw new InvalidReferenceException(
          "vault item '" + name + "' is an Ed25519 key; it signs messages, not digests");
    }
    SecretValue keyValue =
        item.field("privateKey")
            .orElseThrow(() -> new IntegrityException("key item has no private key"));
    byte[] key = keyValue.revealBytes();
    try {
      if (algorithm == KeyAlgorithm.ED25519) {
        return Ed25519.sign(key, message);
      }
      Secp256k1.Signature sig =
          digest != null ? Secp256k1.signDigest(key, digest) : Secp256k1.signMessage(key, message);
      return sig.toEthereumBytes();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
