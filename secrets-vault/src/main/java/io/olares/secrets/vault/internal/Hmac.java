package io.olares.secrets.vault.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 through the JCE, with a constant-time check. Thread-safe. */
public final class Hmac {
  /** Tag length in bytes. */
  public static final int BYTES = 32;

  private Hmac() {}

  /** HMAC-SHA256 of {@code message} under {@code key}. */
  public static byte[] sha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable: " + e.getMessage(), e);
    }
  }

  /** True where {@code tag} is the HMAC of {@code message}; compares in constant time. */
  public static boolean verify(byte[] key, byte[] message, byte[] tag) {
    return tag != null && MessageDigest.isEqual(sha256(key, message), tag);
  }
}
