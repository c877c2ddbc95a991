package io.olares.secrets.approval;

import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.ApprovalRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Verifies LarePass-shaped approvals. The checks run in this order, and the first that fails throws
 * {@link ApprovalRejectedException} with its {@link Reason}:
 *
 * <ol>
 *   <li>{@link Reason#MALFORMED}: the JWS does not {@link Jws#parse parse}.
 *   <li>{@link Reason#UNTRUSTED_DID}: the header's kid is not among the trusted DIDs, or the
 *       payload's did is not the kid.
 *   <li>{@link Reason#BAD_SIGNATURE}: the signature does not verify under the kid's key.
 *   <li>{@link Reason#WRONG_CHALLENGE}: the approval's request names another audience, subject,
 *       operation or app than the expected one, or the signed challenge is not the expected
 *       request's challenge.
 *   <li>{@link Reason#EXPIRED}: the request was issued, or the payload signed, longer than {@code
 *       maxAge} ago.
 *   <li>{@link Reason#FROM_THE_FUTURE}: either time lies more than {@code maxSkew} ahead.
 *   <li>{@link Reason#REPLAYED}: the ledger has seen the nonce. The nonce is recorded only here,
 *       after every other check held, so a rejected approval never uses up a nonce.
 * </ol>
 *
 * <p>The trusted set is asked for on every call, so a vault can change it at any time. Messages
 * name the check, DIDs, items and times, never a secret. Immutable and thread-safe where the
 * supplier and the ledger are.
 */
public final class JwsApprovalVerifier implements ApprovalVerifier {
  /** The default longest age of an approval. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  /** The default tolerance for clocks ahead of this one. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);

  private final Supplier<Set<String>> trustedDids;
  private final NonceLedger ledger;
  private final Clock clock;
  private final Duration maxAge;
  private final Duration maxSkew;

  /**
   * A verifier.
   *
   * @param trustedDids the did:keys whose approvals count, asked for on every call
   * @param ledger where used nonces are recorded
   * @param clock the verifier's clock
   * @param maxAge the longest age of a request or a signature
   * @param maxSkew how far ahead of the clock a time may lie
   * @throws IllegalArgumentException where maxAge is not positive or maxSkew is negative
   */
  public JwsApprovalVerifier(
      Supplier<Set<String>> trustedDids,
      NonceLedger ledger,
      Clock clock,
      Duration maxAge,
      Duration maxSkew) {
    this.trustedDids = Objects.requireNonNull(trustedDids, "trustedDids");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive");
    }
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("maxSkew must not be negative");
    }
  }

  /** A verifier with {@link #DEFAULT_MAX_AGE} and {@link #DEFAULT_MAX_SKEW}. */
  public JwsApprovalVerifier(Supplier<Set<String>> trustedDids, NonceLedger ledger, Clock clock) {
    this(trustedDids, ledger, clock, DEFAULT_MAX_AGE, DEFAULT_MAX_SKEW);
  }

  @Override
  public void verify(Approval approval, ApprovalRequest expected) {
    verifyAndParse(approval, expected);
  }

  /**
   * As {@link #verify}, returning the verified JWS (for example to audit who approved).
   *
   * @throws ApprovalRejectedException naming the check that failed
   */
  public Jws verifyAndParse(Approval approval, ApprovalRequest expected) {
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(expected, "expected");
    Jws jws = Jws.parse(approval.jws());

    Set<String> trusted = trustedDids.get();
    if (trusted == null || !trusted.contains(jws.kid())) {
      throw reject(Reason.UNTRUSTED_DID, "signer " + jws.kid() + " is not a trusted device");
    }
    if (!jws.payload().did().equals(jws.kid())) {
      throw reject(Reason.UNTRUSTED_DID, "payload did is not the header kid " + jws.kid());
    }
    if (!jws.verify()) {
      throw reject(Reason.BAD_SIGNATURE, "signature by " + jws.kid() + " does not verify");
    }

    checkSameUse(approval.request(), expected);
    if (!MessageDigest.isEqual(
        jws.payload().challenge().getBytes(StandardCharsets.UTF_8),
        expected.challenge().getBytes(StandardCharsets.UTF_8))) {
      throw reject(
          Reason.WRONG_CHALLENGE,
          "the signed challenge is not the challenge of this "
              + expected.operation().wireName()
              + " of "
              + expected.subject());
    }

    Instant now = clock.instant();
    checkAge("request was issued", expected.issuedAt(), now);
    checkAge("approval was signed", jws.payload().time(), now);
    checkNotAhead("request", expected.issuedAt(), now);
    checkNotAhead("approval", jws.payload().time(), now);

    Instant forgetAfter = expected.issuedAt().plus(maxAge).plus(maxSkew);
    if (!ledger.markUsed(expected.nonce(), forgetAfter)) {
      throw reject(
          Reason.REPLAYED,
          "this approval of "
              + expected.operation().wireName()
              + " of "
              + expected.subject()
              + " was used before");
    }
    return jws;
  }

  private static void checkSameUse(ApprovalRequest got, ApprovalRequest expected) {
    differs("audience", got.audience(), expected.audience());
    differs("subject", got.subject(), expected.subject());
    differs("operation", got.operation().wireName(), expected.operation().wireName());
    differs("app", got.app(), expected.app());
  }

  private static void differs(String what, String got, String expected) {
    if (!got.equals(expected)) {
      throw reject(
          Reason.WRONG_CHALLENGE,
          "the approval is for "
              + what
              + " '"
              + printable(got)
              + "', not '"
              + printable(expected)
              + "'");
    }
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 200; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 200 ? sb + "..." : sb.toString();
  }

  private void checkAge(String what, Instant time, Instant now) {
    Duration age = Duration.between(time, now);
    if (age.compareTo(maxAge) > 0) {
      throw reject(
          Reason.EXPIRED,
          "the "
              + what
              + " "
              + age.toSeconds()
              + " s ago; at most "
              + maxAge.toSeconds()
              + " s are allowed");
    }
  }

  private void checkNotAhead(String what, Instant time, Instant now) {
    Duration ahead = Duration.between(now, time);
    if (ahead.compareTo(maxSkew) > 0) {
      throw reject(
          Reason.FROM_THE_FUTURE,
          "the "
              + what
              + " time lies "
              + ahead.toMillis()
              + " ms ahead of this clock; at most "
              + maxSkew.toMillis()
              + " ms are tolerated");
    }
  }

  private static ApprovalRejectedException reject(Reason reason, String message) {
    return new ApprovalRejectedException(reason, message);
  }

  @Override
  public String toString() {
    return "JwsApprovalVerifier[maxAge=" + maxAge + ", maxSkew=" + maxSkew + "]";
  }
}
