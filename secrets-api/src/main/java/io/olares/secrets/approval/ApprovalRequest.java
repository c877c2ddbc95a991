package io.olares.secrets.approval;

import io.olares.secrets.Operation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * One use of a secret that needs the user's signature. Its {@link #challenge()} is the SHA-256
 * digest of every field, so a signature over it is bound to this store, this item, this operation,
 * this app, this nonce and this moment, and to nothing else.
 *
 * @param audience the identity of the store that verifies (a vault id, or a store name)
 * @param subject the item the use touches (an item id, or a reference)
 * @param operation what is done with it
 * @param app the app asking
 * @param nonce a fresh random value, used once
 * @param issuedAt when the request was made (millisecond precision)
 */
public record ApprovalRequest(
    String audience,
    String subject,
    Operation operation,
    String app,
    String nonce,
    Instant issuedAt) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DOMAIN = "olares-secrets/approval/v1";

  /** Validates and truncates the time to milliseconds. */
  public ApprovalRequest {
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(nonce, "nonce");
    issuedAt = Instant.ofEpochMilli(Objects.requireNonNull(issuedAt, "issuedAt").toEpochMilli());
  }

  /** A request with a fresh 128-bit random nonce. */
  public static ApprovalRequest create(
      String audience, String subject, Operation operation, String app, Instant now) {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    return new ApprovalRequest(
        audience,
        subject,
        operation,
        app,
        Base64.getUrlEncoder().withoutPadding().encodeToString(n),
        now);
  }

  /** The base64url (no padding) SHA-256 digest of the length-prefixed fields. */
  public String challenge() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            DOMAIN,
            audience,
            subject,
            operation.wireName(),
            app,
            nonce,
            Long.toString(issuedAt.toEpochMilli())
          }) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
