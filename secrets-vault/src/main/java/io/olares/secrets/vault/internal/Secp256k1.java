package io.olares.secrets.vault.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;

/**
 * ECDSA over secp256k1 as Ethereum uses it, through Bouncy Castle: deterministic nonces (RFC 6979
 * with HMAC-SHA256), low-S normalisation, a recovery id, Keccak-256 message hashing and EIP-55
 * addresses. Verification of DER signatures is strict (canonical DER only, {@code 0 < r, s < n}).
 * Thread-safe.
 */
public final class Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);

  /** A signature with the id that recovers the public key from it. */
  public record Signature(BigInteger r, BigInteger s, int recoveryId) {
    /** {@code r ‖ s ‖ v} with {@code v = 27 + recoveryId}: the 65 bytes Ethereum's tools take. */
    public byte[] toEthereumBytes() {
      byte[] out = new byte[65];
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, out, 0, 32);
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
      out[64] = (byte) (27 + recoveryId);
      return out;
    }
  }

  private Secp256k1() {}

  /** True where {@code privateKey} is 32 bytes encoding a scalar in {@code [1, n-1]}. */
  public static boolean isValidPrivateKey(byte[] privateKey) {
    if (privateKey == null || privateKey.length != 32) {
      return false;
    }
    BigInteger d = new BigInteger(1, privateKey);
    return d.signum() > 0 && d.compareTo(N) < 0;
  }

  /** The public key point {@code d·G} in SEC1 form, compressed (33 bytes) or not (65 bytes). */
  public static byte[] publicKey(byte[] privateKey, boolean compressed) {
    requireValid(privateKey);
    return CURVE.getG().multiply(new BigInteger(1, privateKey)).normalize().getEncoded(compressed);
  }

  /**
   * Signs a 32-byte digest with a deterministic RFC 6979 nonce and returns the low-S signature with
   * its recovery id.
   */
  public static Signature signDigest(byte[] privateKey, byte[] digest) {
    requireValid(privateKey);
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException("secp256k1 signs a 32-byte digest");
    }
    BigInteger d = new BigInteger(1, privateKey);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger r = rs[0];
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
    ECPoint q = CURVE.getG().multiply(d).normalize();
    for (int id = 0; id < 4; id++) {
      ECPoint candidate = recover(digest, r, s, id);
      if (candidate != null && candidate.equals(q)) {
        return new Signature(r, s, id);
      }
    }
    throw new IllegalStateException("no recovery id reproduces the public key");
  }

  /** Hashes {@code message} with Keccak-256 and signs the digest (Ethereum's hashing). */
  public static Signature signMessage(byte[] privateKey, byte[] message) {
    return signDigest(privateKey, keccak256(message));
  }

  /**
   * The public key (uncompressed SEC1) that produced {@code signature} over {@code digest}, or null
   * where the recovery id does not lead to a point.
   */
  public static byte[] recoverPublicKey(byte[] digest, Signature signature) {
    ECPoint p = recover(digest, signature.r(), signature.s(), signature.recoveryId());
    return p == null ? null : p.getEncoded(false);
  }

  /**
   * Verifies a DER-encoded ECDSA signature over SHA-256({@code message}). Non-canonical DER,
   * trailing bytes, out-of-range integers and points off the curve all verify as false.
   */
  public static boolean verifyDerSha256(byte[] publicKey, byte[] message, byte[] derSignature) {
    BigInteger[] rs = parseStrictDer(derSignature);
    if (rs == null) {
      return false;
    }
    SHA256Digest sha = new SHA256Digest();
    byte[] digest = new byte[32];
    sha.update(message, 0, message.length);
    sha.doFinal(digest, 0);
    return verifyDigest(publicKey, digest, rs[0], rs[1]);
  }

  /** Verifies {@code (r, s)} over a digest; false for anything out of range or off the curve. */
  public static boolean verifyDigest(byte[] publicKey, byte[] digest, BigInteger r, BigInteger s) {
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    ECPoint q;
    try {
      q = CURVE.getCurve().decodePoint(publicKey);
    } catch (RuntimeException e) {
      return false;
    }
    if (q.isInfinity() || !q.isValid()) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return verifier.verifySignature(digest, r, s);
  }

  /** Keccak-256 (the pre-standard SHA-3 variant Ethereum uses). */
  public static byte[] keccak256(byte[] data) {
    KeccakDigest keccak = new KeccakDigest(256);
    keccak.update(data, 0, data.length);
    byte[] out = new byte[32];
    keccak.doFinal(out, 0);
    return out;
  }

  /** The EIP-55 checksummed Ethereum address of a public key (compressed or not). */
  public static String ethereumAddress(byte[] publicKey) {
    byte[] uncompressed = CURVE.getCurve().decodePoint(publicKey).getEncoded(false);
    byte[] hash = keccak256(Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
    return checksumAddress(Arrays.copyOfRange(hash, 12, 32));
  }

  /** The EIP-55 mixed-case form of a 20-byte address. */
  public static String checksumAddress(byte[] address) {
    if (address.length != 20) {
      throw new IllegalArgumentException("an Ethereum address has 20 bytes");
    }
    String hex = Hex.toHexString(address);
    byte[] checksum = keccak256(hex.getBytes(StandardCharsets.US_ASCII));
    StringBuilder sb = new StringBuilder("0x");
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      int nibble = (checksum[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      sb.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  private static ECPoint recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
    BigInteger x = r.add(N.multiply(BigInteger.valueOf(recoveryId / 2)));
    BigInteger prime = CURVE.getCurve().getField().getCharacteristic();
    if (x.compareTo(prime) >= 0) {
      return null;
    }
    byte[] compressed = new byte[33];
    compressed[0] = (byte) ((recoveryId & 1) == 0 ? 0x02 : 0x03);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, x), 0, compressed, 1, 32);
    ECPoint bigR;
    try {
      bigR = CURVE.getCurve().decodePoint(compressed);
    } catch (RuntimeException e) {
      return null;
    }
    if (!bigR.multiply(N).isInfinity()) {
      return null;
    }
    BigInteger e = new BigInteger(1, digest);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, bigR, u2).normalize();
    return q.isInfinity() ? null : q;
  }

  private static BigInteger[] parseStrictDer(byte[] der) {
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      if (!(primitive instanceof ASN1Sequence)) {
        return null;
      }
      ASN1Sequence seq = (ASN1Sequence) primitive;
      if (seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer)
          || !(seq.getObjectAt(1) instanceof ASN1Integer)) {
        return null;
      }
      if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      return new BigInteger[] {
        ((ASN1Integer) seq.getObjectAt(0)).getValue(), ((ASN1Integer) seq.getObjectAt(1)).getValue()
      };
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static void requireValid(byte[] privateKey) {
    if (!isValidPrivateKey(privateKey)) {
      throw new IllegalArgumentException("a secp256k1 private key is 32 bytes in [1, n-1]");
    }
  }
}
