package io.olares.secrets.vault.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.util.BigIntegers;

/**
 * BIP32 derivation of secp256k1 private keys from a seed: the master key (HMAC-SHA512 keyed with
 * {@code "Bitcoin seed"}) and hardened or normal children along a path such as Ethereum's {@code
 * m/44'/60'/0'/0/0}. Only private derivation is offered. Stateless and thread-safe.
 */
public final class Bip32 {
  /** The bit that marks a hardened index. */
  public static final int HARDENED = 0x80000000;

  /** The path of Ethereum's first account (BIP44, coin type 60). */
  public static final String ETHEREUM_FIRST_ACCOUNT = "m/44'/60'/0'/0/0";

  private static final long HARDENED_LIMIT = 0x80000000L;
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final byte[] MASTER_KEY = "Bitcoin seed".getBytes(StandardCharsets.US_ASCII);

  /** A private key with its chain code; {@link #destroy()} wipes both. */
  public static final class Node {
    private final byte[] key;
    private final byte[] chainCode;

    private Node(byte[] key, byte[] chainCode) {
      this.key = key;
      this.chainCode = chainCode;
    }

    /** A copy of the 32-byte private key. */
    public byte[] privateKey() {
      return key.clone();
    }

    /** A copy of the 32-byte chain code. */
    public byte[] chainCode() {
      return chainCode.clone();
    }

    /** Overwrites key and chain code. */
    public void destroy() {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(chainCode, (byte) 0);
    }

    @Override
    public String toString() {
      return "Bip32.Node[redacted]";
    }
  }

  private Bip32() {}

  /** The master node of {@code seed} (16 to 64 bytes). */
  public static Node master(byte[] seed) {
    if (seed == null || seed.length < 16 || seed.length > 64) {
      throw new IllegalArgumentException("a BIP32 seed has 16 to 64 bytes");
    }
    return split(hmacSha512(MASTER_KEY, seed));
  }

  /**
   * The node at {@code path} ({@code m}, then {@code /i} or {@code /i'} elements; {@code '}, {@code
   * h} or {@code H} marks hardened) below the master node of {@code seed}.
   *
   * @throws IllegalArgumentException naming the bad path element
   */
  public static Node derive(byte[] seed, String path) {
    String[] parts = path.split("/", -1);
    if (!parts[0].equals("m")) {
      throw new IllegalArgumentException("a derivation path starts with 'm'");
    }
    Node node = master(seed);
    for (int i = 1; i < parts.length; i++) {
      Node child = child(node, parseIndex(parts[i], i));
      node.destroy();
      node = child;
    }
    return node;
  }

  /** The child at {@code index} (hardened where the top bit is set). */
  public static Node child(Node parent, int index) {
    byte[] data;
    if ((index & HARDENED) != 0) {
      data = new byte[37];
      System.arraycopy(parent.key, 0, data, 1, 32);
    } else {
      data = new byte[37];
      byte[] point = Secp256k1.publicKey(parent.key, true);
      System.arraycopy(point, 0, data, 0, 33);
    }
    data[33] = (byte) (index >>> 24);
    data[34] = (byte) (index >>> 16);
    data[35] = (byte) (index >>> 8);
    data[36] = (byte) index;
    byte[] i = hmacSha512(parent.chainCode, data);
    Arrays.fill(data, (byte) 0);
    BigInteger tweak = new BigInteger(1, Arrays.copyOf(i, 32));
    BigInteger k = tweak.add(new BigInteger(1, parent.key)).mod(N);
    if (tweak.compareTo(N) >= 0 || k.signum() == 0) {
      throw new IllegalArgumentException(
          "BIP32 child " + index + " is invalid; use the next index");
    }
    byte[] key = BigIntegers.asUnsignedByteArray(32, k);
    byte[] chain = Arrays.copyOfRange(i, 32, 64);
    Arrays.fill(i, (byte) 0);
    return new Node(key, chain);
  }

  private static int parseIndex(String element, int position) {
    if (element.isEmpty()) {
      throw new IllegalArgumentException("path element " + position + " is empty");
    }
    char last = element.charAt(element.length() - 1);
    boolean hardened = last == '\'' || last == 'h' || last == 'H';
    String digits = hardened ? element.substring(0, element.length() - 1) : element;
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("path element " + position + " is not a number");
    }
    if (value < 0 || value >= HARDENED_LIMIT || !digits.matches("[0-9]+")) {
      throw new IllegalArgumentException("path element " + position + " is out of range");
    }
    return hardened ? (int) value | HARDENED : (int) value;
  }

  private static Node split(byte[] i) {
    byte[] key = Arrays.copyOf(i, 32);
    byte[] chain = Arrays.copyOfRange(i, 32, 64);
    Arrays.fill(i, (byte) 0);
    if (!Secp256k1.isValidPrivateKey(key)) {
      throw new IllegalArgumentException("this seed gives an invalid BIP32 master key");
    }
    return new Node(key, chain);
  }

  private static byte[] hmacSha512(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is unavailable: " + e.getMessage(), e);
    }
  }
}
