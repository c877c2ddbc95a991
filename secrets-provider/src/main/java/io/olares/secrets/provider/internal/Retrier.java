package io.olares.secrets.provider.internal;

import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.provider.Idempotency;
import io.olares.secrets.provider.ProviderRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one call through a {@link Transport}, repeating it after transient failures where its
 * {@link Idempotency} allows and its {@link ProviderRetry} budget lasts; the rules are stated
 * there. Every HTTP 429 or 5xx that ends a call, and every I/O failure, becomes an exception whose
 * message names the call, the status or failure and the number of requests sent; other replies are
 * returned for the caller to read.
 *
 * <p>Thread-safe; a call's state lives in the call. Waits go through the injected {@link
 * ProviderRetry.Sleeper}, deadlines are read from the injected clock. Logs (DEBUG) name the call,
 * the status or failure type and the wait; never a header, body or credential.
 */
public final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** The most characters of an unusable {@code Retry-After} a message shows. */
  static final int SHOWN_HEADER_CHARS = 40;

  private final Transport transport;
  private final ProviderRetry policy;
  private final Clock clock;
  private final ProviderRetry.Sleeper sleeper;
  private final Backoff backoff;

  /**
   * A retrier over {@code transport}.
   *
   * @param random the backoff jitter; used under a lock of this retrier
   */
  public Retrier(
      Transport transport,
      ProviderRetry policy,
      Clock clock,
      ProviderRetry.Sleeper sleeper,
      RandomGenerator random) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.backoff =
        new Backoff(
            policy.baseDelay(), policy.maxDelay(), Objects.requireNonNull(random, "random"));
  }

  /** The transport requests go through. */
  public Transport transport() {
    return transport;
  }

  /** The budget calls are repeated within. */
  public ProviderRetry policy() {
    return policy;
  }

  /** One attempt of a call: its request, built afresh with the credential of the moment. */
  public interface Attempt {
    /** The request to send. */
    Request request();

    /**
     * The server answered 401 to this attempt's credential: drop it, and return true where a fresh
     * credential differs, so that one more attempt may succeed.
     */
    boolean refused();
  }

  /** An attempt whose credential cannot be renewed after a 401. */
  public static Attempt attempt(Request request) {
    Objects.requireNonNull(request, "request");
    return new Attempt() {
      @Override
      public Request request() {
        return request;
      }

      @Override
      public boolean refused() {
        return false;
      }
    };
  }

  /**
   * Sends the call, as often as the rules allow, and returns the reply that ends it: any 1xx to 4xx
   * status but 429.
   *
   * @param kind whether the call may be repeated after which failures
   * @param what names the call in messages (store and operation, never a value)
   * @param attempts builds each attempt; called once per request sent
   * @throws StoreUnavailableException for an I/O failure or an HTTP 429 or 5xx that ends the call
   * @throws SecretsException for a 5xx that names a missing provider service, or a reply too large
   */
  public Transport.Reply execute(Idempotency kind, String what, Supplier<Attempt> attempts) {
    Call call =
        new Call(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(what, "what"));
    boolean renewed = false;
    while (true) {
      Attempt attempt = attempts.get();
      Request request = attempt.request();
      Duration limit = call.timeLeft();
      call.sent++;
      Transport.Reply reply;
      try {
        reply = transport.send(request, what, limit);
      } catch (Transport.SendFailure f) {
        call.failedToExchange(request.url(), f);
        continue;
      }
      int status = reply.status();
      if (status == 401 && !renewed && attempt.refused()) {
        renewed = true;
        LOG.debug("{}: HTTP 401; repeating once with a fresh credential", what);
        continue;
      }
      if (status != 429 && status < 500) {
        LOG.debug("{}: HTTP {} after {}", what, status, attempts(call.sent));
        return reply;
      }
      call.failedWithStatus(reply);
    }
  }

  /** The state of one call. */
  private final class Call {
    private final Idempotency kind;
    private final String what;
    private int sent;
    private int repeats;
    private Instant deadline;
    private String lastFailure;

    Call(Idempotency kind, String what) {
      this.kind = kind;
      this.what = what;
    }

    /** The limit of the next request: null before any failure, else what the deadline leaves. */
    Duration timeLeft() {
      if (deadline == null) {
        return null;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new StoreUnavailableException(
            what + ": " + lastFailure + "; " + spent() + "; gave up after " + attempts(sent));
      }
      return left;
    }

    void failedToExchange(HttpUrl url, Transport.SendFailure f) {
      String where = url.host() + ":" + url.port();
      String failure =
          switch (f.stage()) {
            case NOT_SENT -> "cannot reach " + where + " (" + f.getMessage() + ")";
            case SENT ->
                f.timedOut()
                    ? "no answer from " + where + " (" + f.getMessage() + ")"
                    : "cannot reach "
                        + where
                        + "; the connection broke before any answer ("
                        + f.getMessage()
                        + ")";
            case ANSWERING -> "the answer from " + where + " broke off (" + f.getMessage() + ")";
          };
      if (Thread.currentThread().isInterrupted()) {
        throw new StoreUnavailableException(
            what + ": " + failure + "; interrupted after " + attempts(sent), f.getCause());
      }
      if (!repeatable(f)) {
        throw new StoreUnavailableException(
            what + ": " + failure + "; " + notRepeated(), f.getCause());
      }
      pause(
          failure,
          f.getCause().getClass().getSimpleName() + " (" + f.stage() + ")",
          Optional.empty(),
          f.getCause());
    }

    void failedWithStatus(Transport.Reply reply) {
      int status = reply.status();
      Optional<Duration> retryAfter = RetryAfter.of(reply.headers(), clock.instant());
      boolean transientStatus =
          status == 429
              || status == 502
              || status == 503
              || status == 504
              || (status == 500 && retryAfter.isPresent());
      String message = Replies.serverMessage(reply.body(), transport.json());
      SecretsException error = Replies.httpError(what, status, message);
      if (!(error instanceof StoreUnavailableException)) {
        throw error;
      }
      String failure = Replies.serverFailed(status, message);
      if (!transientStatus) {
        throw new StoreUnavailableException(
            what
                + ": "
                + failure
                + "; "
                + (status == 500
                    ? "not repeated (" + without(reply) + ") after "
                    : "not repeated after ")
                + attempts(sent));
      }
      // a 429 refuses the request before acting on it: repeating it is safe for every kind
      if (kind == Idempotency.UNSAFE && status != 429) {
        throw new StoreUnavailableException(what + ": " + failure + "; " + notRepeated());
      }
      pause(failure, "HTTP " + status, retryAfter, null);
    }

    /** Why a 500 was final: no {@code Retry-After}, or one that could not be read. */
    private static String without(Transport.Reply reply) {
      String header = reply.headers().get(RetryAfter.HEADER);
      if (header == null || header.isBlank()) {
        return "500 without Retry-After";
      }
      String shown = header.strip();
      if (shown.length() > SHOWN_HEADER_CHARS) {
        shown = shown.substring(0, SHOWN_HEADER_CHARS) + "...";
      }
      return "500 with an unusable Retry-After '" + shown + "'";
    }

    private boolean repeatable(Transport.SendFailure f) {
      return switch (kind) {
        case READ -> true;
        case IDEMPOTENT ->
            f.stage() == Transport.Stage.NOT_SENT
                || (f.stage() == Transport.Stage.SENT && !f.timedOut());
        case UNSAFE -> f.stage() == Transport.Stage.NOT_SENT;
      };
    }

    private String notRepeated() {
      return "not repeated after "
          + attempts(sent)
          + (kind == Idempotency.UNSAFE
              ? ": this call is not safe to repeat, and it may have been applied"
              : ": the server may still be applying this call, and a repeat could land after a"
                  + " later write");
    }

    /** Waits before the next attempt, or throws where the budget does not allow one. */
    private void pause(
        String failure, String logged, Optional<Duration> retryAfter, Throwable cause) {
      lastFailure = failure;
      Instant now = clock.instant();
      if (deadline == null) {
        deadline = now.plus(policy.maxWait());
      }
      if (repeats >= policy.retries()) {
        throw new StoreUnavailableException(
            what + ": " + failure + "; gave up after " + attempts(sent), cause);
      }
      Duration wait;
      if (retryAfter.isPresent()) {
        wait = retryAfter.get();
      } else {
        synchronized (backoff) {
          wait = backoff.delay(repeats + 1);
        }
      }
      Duration left = Duration.between(now, deadline);
      if (wait.compareTo(left) >= 0) {
        String why =
            retryAfter.isPresent()
                ? "the server asked to wait "
                    + textRoundedUp(wait)
                    + " (Retry-After), and only "
                    + textRoundedDown(left.isNegative() ? Duration.ZERO : left)
                    + " is left of "
                    + ProviderRetry.MAX_WAIT_OPTION
                    + " "
                    + text(policy.maxWait())
                : spent();
        throw new StoreUnavailableException(
            what + ": " + failure + "; " + why + "; gave up after " + attempts(sent), cause);
      }
      repeats++;
      LOG.debug(
          "{}: attempt {} failed ({}); repeating in {}{}",
          what,
          sent,
          logged,
          text(wait),
          retryAfter.isPresent() ? ", as Retry-After asked" : "");
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException(
            what
                + ": "
                + failure
                + "; interrupted while waiting to repeat the call after "
                + attempts(sent),
            e);
      }
    }

    private String spent() {
      return ProviderRetry.MAX_WAIT_OPTION + " (" + text(policy.maxWait()) + ") is spent";
    }
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  /** A duration as people read it: to the nearest second from 1 s on, else in milliseconds. */
  static String text(Duration d) {
    return text(d, 500);
  }

  /** {@link #text}, with seconds rounded up: a wait is never shown shorter than it is. */
  static String textRoundedUp(Duration d) {
    return text(d, 999);
  }

  /** {@link #text}, with seconds rounded down: time left is never shown longer than it is. */
  static String textRoundedDown(Duration d) {
    return text(d, 0);
  }

  private static String text(Duration d, long roundingMillis) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return (millis / 1000 + (millis % 1000 + roundingMillis) / 1000) + " s";
  }
}
