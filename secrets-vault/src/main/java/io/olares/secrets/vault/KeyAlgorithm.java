package io.olares.secrets.vault;

import io.olares.secrets.InvalidReferenceException;
import java.util.Locale;

/** The signature algorithms a private-key item can hold. */
public enum KeyAlgorithm {
  /** Pure Ed25519 (RFC 8032): 64-byte signatures over the message itself. */
  ED25519("ed25519"),
  /**
   * ECDSA over secp256k1 as Ethereum uses it: the message is hashed with Keccak-256 (or a 32-byte
   * digest is signed as given), the nonce is deterministic (RFC 6979), {@code s} is low, and the
   * signature is 65 bytes {@code r ‖ s ‖ v} with {@code v = 27 + recovery id}.
   */
  SECP256K1("secp256k1");

  private final String wireName;

  KeyAlgorithm(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name stored in items and used by the CLI. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}, case-insensitively. */
  public static KeyAlgorithm fromWireName(String name) {
    for (KeyAlgorithm a : values()) {
      if (a.wireName.equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw new InvalidReferenceException(
        "unknown key algorithm '"
            + String.valueOf(name).toLowerCase(Locale.ROOT)
            + "': expected ed25519 or secp256k1");
  }
}
