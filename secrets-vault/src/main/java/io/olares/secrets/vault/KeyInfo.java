package io.olares.secrets.vault;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The public half of a private-key item: what may be shown and shared.
 *
 * @param item the item's name, kind, version and times
 * @param algorithm the signature algorithm
 * @param publicKey the raw public key: 32 bytes (Ed25519) or 33 bytes compressed SEC1 (secp256k1)
 * @param address the Ethereum address (EIP-55) for secp256k1; the {@code did:key} for Ed25519
 */
public record KeyInfo(ItemInfo item, KeyAlgorithm algorithm, byte[] publicKey, String address) {
  /** Validates and copies the key. */
  public KeyInfo {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(algorithm, "algorithm");
    publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
    Objects.requireNonNull(address, "address");
  }

  /** A copy of the raw public key. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key in lower-case hex. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyInfo k
        && item.equals(k.item)
        && algorithm == k.algorithm
        && java.util.Arrays.equals(publicKey, k.publicKey)
        && address.equals(k.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(item, algorithm, java.util.Arrays.hashCode(publicKey), address);
  }

  @Override
  public String toString() {
    return "KeyInfo[" + item.name() + ", " + algorithm.wireName() + ", " + address + "]";
  }
}
