package io.olares.secrets.testing.fake.infisical;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the fake applies to the next matching request(s) of a route. Faults that reject
 * ({@link #status}) answer instead of processing the request; the others process it normally (state
 * changes happen) and then damage or delay the answer.
 */
public final class Fault {
  /** What kind of damage. */
  public enum Kind {
    /** The body is cut off half way and the connection closed. */
    RESET_MID_BODY,
    /** The server never answers; the client's read timeout fires. */
    STALL,
    /** The body trickles out at a configured rate. */
    SLOW_BODY,
    /** The answer is a 200 whose body is not valid JSON. */
    MALFORMED_JSON,
    /** The request is rejected with a status, optional {@code Retry-After} and a JSON body. */
    STATUS,
    /** A renewal answers normally but revokes the token it renewed. */
    REVOKE_ON_RENEW
  }

  private final Kind kind;
  private final int status;
  private final Integer retryAfterSeconds;
  private final long bytesPerPeriod;
  private final Duration period;

  private Fault(
      Kind kind, int status, Integer retryAfterSeconds, long bytesPerPeriod, Duration period) {
    this.kind = kind;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.bytesPerPeriod = bytesPerPeriod;
    this.period = period;
  }

  /** Cuts the body half way and closes the connection. */
  public static Fault resetMidBody() {
    return new Fault(Kind.RESET_MID_BODY, 200, null, 0, null);
  }

  /** Never answers. */
  public static Fault stall() {
    return new Fault(Kind.STALL, 200, null, 0, null);
  }

  /** Sends the body at {@code bytesPerPeriod} bytes every {@code period}. */
  public static Fault slowBody(long bytesPerPeriod, Duration period) {
    if (bytesPerPeriod <= 0) {
      throw new IllegalArgumentException("bytesPerPeriod must be positive");
    }
    return new Fault(
        Kind.SLOW_BODY, 200, null, bytesPerPeriod, Objects.requireNonNull(period, "period"));
  }

  /** Answers 200 with a truncated JSON body. */
  public static Fault malformedJson() {
    return new Fault(Kind.MALFORMED_JSON, 200, null, 0, null);
  }

  /** Rejects with {@code status} and no {@code Retry-After}. */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, null, 0, null);
  }

  /** Rejects with {@code status} and {@code Retry-After: seconds}. */
  public static Fault status(int status, int retryAfterSeconds) {
    return new Fault(Kind.STATUS, status, retryAfterSeconds, 0, null);
  }

  /** The real server's rate-limit answer: 500 with {@code Retry-After}. */
  public static Fault rateLimited(int retryAfterSeconds) {
    return status(500, retryAfterSeconds);
  }

  /** For {@link Route#TOKEN_RENEW}: renews, answers, then revokes the token. */
  public static Fault revokeOnRenew() {
    return new Fault(Kind.REVOKE_ON_RENEW, 200, null, 0, null);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** The status of a {@link Kind#STATUS} fault. */
  public int statusCode() {
    return status;
  }

  /** The {@code Retry-After} seconds, or null. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Bytes per period of a {@link Kind#SLOW_BODY} fault. */
  public long bytesPerPeriod() {
    return bytesPerPeriod;
  }

  /** The period of a {@link Kind#SLOW_BODY} fault. */
  public Duration period() {
    return period;
  }

  /** True where the request is answered without being processed. */
  public boolean rejects() {
    return kind == Kind.STATUS;
  }

  @Override
  public String toString() {
    return kind == Kind.STATUS
        ? "Fault["
            + status
            + (retryAfterSeconds == null ? "" : ", retry-after " + retryAfterSeconds)
            + "]"
        : "Fault[" + kind + "]";
  }
}
