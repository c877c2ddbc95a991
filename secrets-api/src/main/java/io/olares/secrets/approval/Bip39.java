package io.olares.secrets.approval;

import io.olares.secrets.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * BIP39 mnemonics over the English word list: validation with the checksum, entropy to words and
 * back, and the 64-byte seed (PBKDF2-HMAC-SHA512, 2048 iterations, salt {@code "mnemonic"} plus the
 * passphrase, both NFKD-normalized).
 *
 * <p>A mnemonic is a secret: no message of this class quotes a word of it, only positions and
 * counts. Stateless and thread-safe.
 */
public final class Bip39 {
  /** PBKDF2 iterations of the seed derivation. */
  public static final int ITERATIONS = 2048;

  /** The SHA-256 of the English word list file, one word per line. */
  private static final String WORD_LIST_SHA256 =
      "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";

  private static final List<String> WORDS;
  private static final Map<String, Integer> INDEX;

  static {
    WORDS = loadWordList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < WORDS.size(); i++) {
      index.put(WORDS.get(i), i);
    }
    INDEX = Map.copyOf(index);
  }

  private Bip39() {}

  private static List<String> loadWordList() {
    byte[] data;
    try (InputStream in = Bip39.class.getResourceAsStream("bip39-english.txt")) {
      if (in == null) {
        throw new IllegalStateException("the BIP39 English word list is missing from the jar");
      }
      data = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("the BIP39 English word list cannot be read", e);
    }
    if (!HexFormat.of().formatHex(sha256(data)).equals(WORD_LIST_SHA256)) {
      throw new IllegalStateException("the BIP39 English word list in the jar is corrupt");
    }
    List<String> words = List.of(new String(data, StandardCharsets.US_ASCII).split("\n"));
    if (words.size() != 2048) {
      throw new IllegalStateException("the BIP39 English word list has " + words.size() + " words");
    }
    return words;
  }

  /** The 2048 English words, in order. */
  public static List<String> englishWords() {
    return WORDS;
  }

  /**
   * The canonical form of a typed mnemonic: NFKD, lower case, words separated by single spaces, no
   * leading or trailing space.
   */
  public static String canonical(String mnemonic) {
    Objects.requireNonNull(mnemonic, "mnemonic");
    String nfkd = Normalizer.normalize(mnemonic, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
    return String.join(" ", words(nfkd));
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Checks an English mnemonic: 12, 15, 18, 21 or 24 words of the list, with a matching checksum.
   * The text is taken in {@link #canonical} form.
   *
   * @throws ConfigurationException naming what is wrong (count, position of an unknown word, or the
   *     checksum), never a word
   */
  public static void validate(String mnemonic) {
    Arrays.fill(entropy(mnemonic), (byte) 0);
  }

  /**
   * The entropy an English mnemonic encodes, after {@link #validate validating} it.
   *
   * @throws ConfigurationException as {@link #validate}
   */
  public static byte[] entropy(String mnemonic) {
    List<String> words = words(canonical(mnemonic));
    int n = words.size();
    if (n < 12 || n > 24 || n % 3 != 0) {
      throw new ConfigurationException(
          "mnemonic has " + n + " words; BIP39 needs 12, 15, 18, 21 or 24");
    }
    int totalBits = n * 11;
    int checksumBits = totalBits / 33;
    int entropyBits = totalBits - checksumBits;
    byte[] bits = new byte[(totalBits + 7) / 8];
    for (int i = 0; i < n; i++) {
      Integer index = INDEX.get(words.get(i));
      if (index == null) {
        Arrays.fill(bits, (byte) 0);
        throw new ConfigurationException(
            "mnemonic word " + (i + 1) + " of " + n + " is not in the BIP39 English word list");
      }
      for (int b = 0; b < 11; b++) {
        if ((index & (1 << (10 - b))) != 0) {
          int bit = i * 11 + b;
          bits[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
      }
    }
    byte[] entropy = Arrays.copyOf(bits, entropyBits / 8);
    byte[] hash = sha256(entropy);
    for (int c = 0; c < checksumBits; c++) {
      int bit = entropyBits + c;
      boolean have = (bits[bit / 8] & (0x80 >>> (bit % 8))) != 0;
      boolean want = (hash[c / 8] & (0x80 >>> (c % 8))) != 0;
      if (have != want) {
        Arrays.fill(bits, (byte) 0);
        Arrays.fill(entropy, (byte) 0);
        throw new ConfigurationException(
            "mnemonic checksum does not match: a word is wrong or out of order");
      }
    }
    Arrays.fill(bits, (byte) 0);
    return entropy;
  }

  /**
   * The English mnemonic of {@code entropy} (16, 20, 24, 28 or 32 bytes).
   *
   * @throws IllegalArgumentException for another length
   */
  public static String toMnemonic(byte[] entropy) {
    Objects.requireNonNull(entropy, "entropy");
    int len = entropy.length;
    if (len < 16 || len > 32 || len % 4 != 0) {
      throw new IllegalArgumentException(
          "BIP39 entropy has 16, 20, 24, 28 or 32 bytes, not " + len);
    }
    int entropyBits = len * 8;
    int checksumBits = entropyBits / 32;
    byte[] hash = sha256(entropy);
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < (entropyBits + checksumBits) / 11; w++) {
      int index = 0;
      for (int b = 0; b < 11; b++) {
        int bit = w * 11 + b;
        boolean set =
            bit < entropyBits
                ? (entropy[bit / 8] & (0x80 >>> (bit % 8))) != 0
                : (hash[(bit - entropyBits) / 8] & (0x80 >>> ((bit - entropyBits) % 8))) != 0;
        index = (index << 1) | (set ? 1 : 0);
      }
      if (w > 0) {
        sb.append(' ');
      }
      sb.append(WORDS.get(index));
    }
    return sb.toString();
  }

  /**
   * The 64-byte BIP39 seed of {@code mnemonic} and {@code passphrase}, both NFKD-normalized and
   * otherwise used as given (no validation: mnemonics of any language work).
   */
  public static byte[] seed(String mnemonic, String passphrase) {
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(passphrase, "passphrase");
    char[] password = Normalizer.normalize(mnemonic, Normalizer.Form.NFKD).toCharArray();
    byte[] salt =
        ("mnemonic" + Normalizer.normalize(passphrase, Normalizer.Form.NFKD))
            .getBytes(StandardCharsets.UTF_8);
    PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, 512);
    try {
      // the JDK's PBKDF2 encodes the password characters as UTF-8, as BIP39 requires
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("the mnemonic cannot be used as a PBKDF2 password", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(password, '\0');
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
