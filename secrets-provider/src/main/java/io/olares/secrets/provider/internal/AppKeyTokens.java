package io.olares.secrets.provider.internal;

import io.olares.secrets.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The bcrypt token of generation 1: bcrypt (OpenBSD's, as Bouncy Castle implements it) of the bytes
 * of {@code appKey + decimal(timestamp) + appSecret}.
 */
public final class AppKeyTokens {
  /** The bcrypt version written: {@code 2a}, as Olares' Go reference client writes. */
  public static final String VERSION = "2a";

  private AppKeyTokens() {}

  /**
   * The bcrypt string for {@code appKey}, {@code timestamp} (Unix seconds) and {@code appSecret}.
   *
   * @param version {@code 2a}, {@code 2b} or {@code 2y}
   * @param salt 16 random bytes
   * @param cost the bcrypt cost, 4 to 31
   */
  public static String token(
      String version, String appKey, long timestamp, SecretValue appSecret, byte[] salt, int cost) {
    byte[] prefix = (appKey + timestamp).getBytes(StandardCharsets.UTF_8);
    byte[] secret = appSecret.revealBytes();
    byte[] password = new byte[prefix.length + secret.length];
    try {
      System.arraycopy(prefix, 0, password, 0, prefix.length);
      System.arraycopy(secret, 0, password, prefix.length, secret.length);
      return OpenBSDBCrypt.generate(version, password, salt, cost);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(password, (byte) 0);
    }
  }
}
