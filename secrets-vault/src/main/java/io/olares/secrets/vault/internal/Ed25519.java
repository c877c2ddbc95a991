package io.olares.secrets.vault.internal;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Pure Ed25519 (RFC 8032) over raw 32-byte keys, through Bouncy Castle. Thread-safe. */
public final class Ed25519 {
  /** Key length (private seed and public key) in bytes. */
  public static final int KEY_BYTES = 32;

  /** Signature length in bytes. */
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  /** The public key of a 32-byte private seed. */
  public static byte[] publicKey(byte[] privateKey) {
    requireKey(privateKey);
    return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /** Signs {@code message}. */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    requireKey(privateKey);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Verifies; false for keys or signatures of the wrong length or encoding. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || publicKey.length != KEY_BYTES || signature == null) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void requireKey(byte[] privateKey) {
    if (privateKey == null || privateKey.length != KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 private key is 32 bytes");
    }
  }
}
