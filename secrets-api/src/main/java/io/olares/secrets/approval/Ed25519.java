package io.olares.secrets.approval;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 over the JDK's own provider, with keys as raw 32-byte strings (RFC 8032 encodings). The
 * one place this package turns raw keys into JCA keys, so that signing and every verification (JWS,
 * Wycheproof tests) take the same path. Stateless and thread-safe.
 */
final class Ed25519 {
  static final int KEY_LENGTH = 32;
  static final int SIGNATURE_LENGTH = 64;

  private static final String ALGORITHM = "Ed25519";
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private Ed25519() {}

  /** The JCA private key for a 32-byte seed (RFC 8032's private key). */
  static PrivateKey privateKey(byte[] seed) {
    checkLength("private key", seed);
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused an Ed25519 private key", e);
    }
  }

  /**
   * The raw public key of a 32-byte seed. The JDK has no public call for this, so the seed is fed
   * to its key pair generator as the "random" private key; the result is checked to be built on
   * exactly that seed.
   */
  static byte[] publicKeyOf(byte[] seed) {
    checkLength("private key", seed);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] used =
          ((EdECPrivateKey) pair.getPrivate())
              .getBytes()
              .orElseThrow(() -> new IllegalStateException("the JDK hid the private key bytes"));
      boolean same = MessageDigest.isEqual(used, seed);
      Arrays.fill(used, (byte) 0);
      if (!same) {
        throw new IllegalStateException(
            "the JDK's Ed25519 key pair generator did not use the given seed");
      }
      return encode(((EdECPublicKey) pair.getPublic()).getPoint());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable Ed25519 key pair generator", e);
    }
  }

  /** Signs {@code message} (pure Ed25519, no pre-hash). */
  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK failed to make an Ed25519 signature", e);
    }
  }

  /**
   * True only where {@code signature} is a valid Ed25519 signature of {@code message} under the raw
   * {@code publicKey}; any malformed input (wrong lengths, a key not on the curve, a non-canonical
   * encoding) is false, never an exception.
   */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != KEY_LENGTH
        || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    PublicKey key;
    try {
      key = publicKey(publicKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519 verifier", e);
    }
  }

  /**
   * The JCA public key for a raw 32-byte encoding.
   *
   * @throws IllegalArgumentException where the encoding is not a canonical point encoding
   */
  static PublicKey publicKey(byte[] raw) {
    checkLength("public key", raw);
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = raw[KEY_LENGTH - 1 - i];
    }
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7f;
    BigInteger y = new BigInteger(1, bigEndian);
    if (y.compareTo(P) >= 0) {
      throw new IllegalArgumentException("public key is not a canonical encoding (y >= p)");
    }
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(
              new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("public key is not a point on Ed25519", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519 key factory", e);
    }
  }

  /** The raw 32-byte encoding of a point: little-endian y, the top bit holding x's parity. */
  static byte[] encode(EdECPoint point) {
    byte[] bigEndian = point.getY().toByteArray();
    byte[] out = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    if (point.isXOdd()) {
      out[KEY_LENGTH - 1] |= (byte) 0x80;
    }
    return out;
  }

  private static void checkLength(String what, byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 " + what + " has 32 bytes, not " + (key == null ? 0 : key.length));
    }
  }

  /** A "random" source that yields one given byte string, so the generator uses it as the key. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("expected a request for " + bytes.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
