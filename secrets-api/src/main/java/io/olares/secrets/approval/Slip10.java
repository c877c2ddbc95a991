package io.olares.secrets.approval;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SLIP-0010 key derivation for Ed25519: the master key from a seed (HMAC-SHA512 keyed with {@code
 * "ed25519 seed"}; left half the private key, right half the chain code) and hardened children
 * (Ed25519 has no other kind). LarePass' device key is the master key of the BIP39 seed. Stateless
 * and thread-safe.
 */
public final class Slip10 {
  /** The bit that marks a hardened index. */
  public static final int HARDENED = 0x80000000;

  private static final byte[] ED25519_KEY = "ed25519 seed".getBytes(StandardCharsets.US_ASCII);

  private Slip10() {}

  /**
   * The master key of {@code seed} (16 to 64 bytes).
   *
   * @throws IllegalArgumentException for another seed length
   */
  public static ExtendedKey master(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length < 16 || seed.length > 64) {
      throw new IllegalArgumentException("a SLIP-0010 seed has 16 to 64 bytes, not " + seed.length);
    }
    return ExtendedKey.split(hmacSha512(ED25519_KEY, seed), 0);
  }

  /**
   * The key at {@code path} below the master key of {@code seed}: {@code m} or {@code m/0'/1'/...}
   * ({@code '}, {@code h} or {@code H} marks a hardened index; every index must be hardened).
   *
   * @throws IllegalArgumentException naming the bad path element
   */
  public static ExtendedKey derive(byte[] seed, String path) {
    Objects.requireNonNull(path, "path");
    String[] parts = path.split("/", -1);
    if (!parts[0].equals("m")) {
      throw new IllegalArgumentException("a derivation path starts with 'm'");
    }
    ExtendedKey key = master(seed);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        throw new IllegalArgumentException("path element " + i + " is empty");
      }
      char last = p.charAt(p.length() - 1);
      if (last != '\'' && last != 'h' && last != 'H') {
        throw new IllegalArgumentException(
            "path element " + i + " is not hardened; Ed25519 derives hardened children only");
      }
      String digits = p.substring(0, p.length() - 1);
      long index;
      try {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new NumberFormatException();
        }
        index = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("path element " + i + " is not a number");
      }
      if (index > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("path element " + i + " is above 2^31 - 1");
      }
      ExtendedKey child = key.hardenedChild((int) index);
      key.destroy();
      key = child;
    }
    return key;
  }

  private static byte[] hmacSha512(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is missing from this JDK", e);
    }
  }

  /**
   * A private key with its chain code. Holds secret bytes: {@link #toString()} shows only the
   * depth, and {@link #destroy()} wipes them.
   */
  public static final class ExtendedKey {
    private final byte[] privateKey;
    private final byte[] chainCode;
    private final int depth;

    private ExtendedKey(byte[] privateKey, byte[] chainCode, int depth) {
      this.privateKey = privateKey;
      this.chainCode = chainCode;
      this.depth = depth;
    }

    private static ExtendedKey split(byte[] i, int depth) {
      ExtendedKey k =
          new ExtendedKey(Arrays.copyOfRange(i, 0, 32), Arrays.copyOfRange(i, 32, 64), depth);
      Arrays.fill(i, (byte) 0);
      return k;
    }

    /** A copy of the 32-byte Ed25519 private key (seed). */
    public byte[] privateKey() {
      return privateKey.clone();
    }

    /** A copy of the 32-byte chain code. */
    public byte[] chainCode() {
      return chainCode.clone();
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
      return Ed25519.publicKeyOf(privateKey);
    }

    /** How many derivations below the master key this is. */
    public int depth() {
      return depth;
    }

    /**
     * The hardened child {@code index} (0 to 2^31 - 1; the hardened bit is added here).
     *
     * @throws IllegalArgumentException for a negative index
     */
    public ExtendedKey hardenedChild(int index) {
      if (index < 0) {
        throw new IllegalArgumentException("index must be between 0 and 2^31 - 1");
      }
      ByteBuffer data = ByteBuffer.allocate(1 + 32 + 4);
      data.put((byte) 0).put(privateKey).putInt(index | HARDENED);
      byte[] input = data.array();
      byte[] out = hmacSha512(chainCode, input);
      Arrays.fill(input, (byte) 0);
      return split(out, depth + 1);
    }

    /** Wipes the private key and chain code. */
    public void destroy() {
      Arrays.fill(privateKey, (byte) 0);
      Arrays.fill(chainCode, (byte) 0);
    }

    @Override
    public String toString() {
      return "Slip10.ExtendedKey[depth=" + depth + ", key material redacted]";
    }
  }
}
