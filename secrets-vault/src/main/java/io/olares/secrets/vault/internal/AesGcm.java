package io.olares.secrets.vault.internal;

import io.olares.secrets.IntegrityException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM through the JDK's JCE with a 96-bit nonce and a 128-bit tag: the one cipher path the
 * vault uses for items, names and the wrapped vault key. Ciphertexts carry the tag appended; the
 * nonce travels separately. Thread-safe (each call takes its own {@link Cipher}).
 */
public final class AesGcm {
  /** Nonce length in bytes (96 bits). */
  public static final int NONCE_BYTES = 12;

  /** Tag length in bytes (128 bits). */
  public static final int TAG_BYTES = 16;

  /** The key length the vault uses (AES-256). */
  public static final int KEY_BYTES = 32;

  private AesGcm() {}

  /** A fresh random nonce; never reused, since every write draws a new one. */
  public static byte[] newNonce(SecureRandom random) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  /** Encrypts; the result is the ciphertext followed by the 16-byte tag. */
  public static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
    checkNonce(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      cipher.updateAAD(associatedData);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts and authenticates.
   *
   * @throws IntegrityException where the tag, the nonce, the associated data or the ciphertext does
   *     not match; nothing of the plaintext is released in that case
   */
  public static byte[] decrypt(
      byte[] key, byte[] nonce, byte[] ciphertextAndTag, byte[] associatedData) {
    if (nonce == null || nonce.length != NONCE_BYTES) {
      throw new IntegrityException("ciphertext nonce has the wrong length");
    }
    if (ciphertextAndTag == null || ciphertextAndTag.length < TAG_BYTES) {
      throw new IntegrityException("ciphertext is shorter than its tag");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
      cipher.updateAAD(associatedData);
      return cipher.doFinal(ciphertextAndTag);
    } catch (AEADBadTagException e) {
      throw new IntegrityException("authentication tag does not match");
    } catch (GeneralSecurityException e) {
      throw new IntegrityException(
          "ciphertext cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
    return cipher;
  }

  private static void checkNonce(byte[] nonce) {
    if (nonce == null || nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("AES-GCM nonce must be " + NONCE_BYTES + " bytes");
    }
  }
}
