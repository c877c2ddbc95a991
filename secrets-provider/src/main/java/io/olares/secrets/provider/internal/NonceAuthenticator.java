package io.olares.secrets.provider.internal;

import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.provider.ProviderOp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Request;

/** Legacy generation-1 credentials: a fresh {@code Terminus-Nonce} for every call. */
public final class NonceAuthenticator implements Authenticator {
  /** The header legacy calls carry. */
  public static final String HEADER = "Terminus-Nonce";

  private final SecretValue key;
  private final Clock clock;

  /** Nonces under {@code key} (16, 24 or 32 bytes) and the time of {@code clock}. */
  public NonceAuthenticator(SecretValue key, Clock clock) {
    this.key = key.copy();
    this.clock = clock;
  }

  @Override
  public String authorize(Request.Builder request, ProviderOp op) {
    String nonce = nonce(key, clock.instant().getEpochSecond());
    request.header(HEADER, nonce);
    return nonce;
  }

  /**
   * The nonce for {@code unixSeconds}: {@code appservice:} and base64 of the decimal time encrypted
   * with AES-CBC under {@code key}, IV the key's first 16 bytes, PKCS#7 padding.
   */
  public static String nonce(SecretValue key, long unixSeconds) {
    byte[] k = key.revealBytes();
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(k, "AES"),
          new IvParameterSpec(Arrays.copyOf(k, 16)));
      byte[] sealed =
          cipher.doFinal(Long.toString(unixSeconds).getBytes(StandardCharsets.US_ASCII));
      return "appservice:" + Base64.getEncoder().encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new SecretsException("cannot compute the Terminus-Nonce: " + e.getClass().getName());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public boolean rejected(ProviderOp op, String credential, int status) {
    return false;
  }

  @Override
  public Optional<SecretsException> lastError() {
    return Optional.empty();
  }

  @Override
  public void close() {
    key.close();
  }
}
