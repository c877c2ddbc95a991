package io.olares.secrets.provider.internal;

import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access token kept fresh: fetched on the scheduler's thread (never on a caller's), renewed in
 * the background {@code renewBefore} its expiry while it is in use, at most one fetch in flight. A
 * failed renewal backs off exponentially with jitter and keeps serving the token that is still
 * valid; the last error is kept. A caller waits only when no valid token exists, and during a
 * backoff with no valid token it fails at once with the last error instead of waiting.
 *
 * <p>A caller that finds a valid token takes no lock: it reads the current token from a volatile
 * field, so a renewal never delays it, not even while the renewal's thread is descheduled inside
 * the short sections where it installs a token under the lock.
 *
 * <p>A token nobody used since it was issued is not renewed: the next caller fetches a new one.
 *
 * <p>Thread-safe. Token values are never logged.
 */
public final class RenewingToken implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RenewingToken.class);

  /** A token is not handed out in its last seconds, so that it does not expire in flight. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

  /** Obtains a new token; runs on the scheduler's thread. */
  @FunctionalInterface
  public interface Fetcher {
    /** A new token; throws a {@link SecretsException} describing why not. */
    IssuedToken fetch();
  }

  /**
   * A token and when it expires.
   *
   * @param value the token; never log it
   * @param expiresAt when the server stops accepting it
   */
  public record IssuedToken(String value, Instant expiresAt) {
    /** Validates. */
    public IssuedToken {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
      return "IssuedToken[redacted, expiresAt=" + expiresAt + "]";
    }
  }

  private final String label;
  private final Fetcher fetcher;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration renewBefore;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Duration waitLimit;

  private final Object lock = new Object();

  // written under the lock, read without it by callers that find a valid token
  private volatile IssuedToken current;
  private volatile boolean closed;

  // written without the lock by those callers; read and reset under it
  private volatile boolean used;

  // guarded by the lock
  private CompletableFuture<IssuedToken> inFlight;
  private ScheduledFuture<?> timer;
  private SecretsException lastError;
  private int failures;
  private Instant nextAttempt;

  /**
   * A token source.
   *
   * @param label names the token in logs and errors (no secret)
   * @param fetcher obtains tokens
   * @param clock decides validity and renewal times
   * @param scheduler runs fetches and renewals
   * @param renewBefore how long before expiry to renew
   * @param backoff delays between failed attempts
   * @param maxAttempts consecutive background failures before renewal waits for a caller
   * @param waitLimit how long a caller waits for a token
   */
  public RenewingToken(
      String label,
      Fetcher fetcher,
      Clock clock,
      ScheduledExecutorService scheduler,
      Duration renewBefore,
      Backoff backoff,
      int maxAttempts,
      Duration waitLimit) {
    this.label = Objects.requireNonNull(label, "label");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.maxAttempts = maxAttempts;
    this.waitLimit = Objects.requireNonNull(waitLimit, "waitLimit");
  }

  /**
   * A valid token: the current one, or, where none is valid, the result of a fetch this caller
   * waits for.
   *
   * @throws SecretsException of the kind the fetch failed with
   */
  public String token() {
    if (closed) {
      throw new StoreUnavailableException(label + ": the provider client is closed");
    }
    IssuedToken token = current;
    if (valid(token, clock.instant())) {
      markUsed();
      return token.value();
    }
    return tokenOrFetch();
  }

  /** The slow path of {@link #token()}: no valid token was found without the lock. */
  private String tokenOrFetch() {
    CompletableFuture<IssuedToken> waitFor;
    synchronized (lock) {
      if (closed) {
        throw new StoreUnavailableException(label + ": the provider client is closed");
      }
      Instant now = clock.instant();
      IssuedToken token = current;
      if (valid(token, now)) {
        used = true;
        return token.value();
      }
      if (inFlight == null) {
        if (lastError != null && nextAttempt != null && now.isBefore(nextAttempt)) {
          long seconds = Math.max(1, Duration.between(now, nextAttempt).toSeconds());
          throw Errors.sameKind(
              lastError,
              lastError.getMessage() + " (no valid token; next attempt in " + seconds + " s)");
        }
        startLocked();
      }
      waitFor = inFlight;
    }
    IssuedToken fetched = await(waitFor);
    used = true;
    return fetched.value();
  }

  private void markUsed() {
    if (!used) {
      used = true;
    }
  }

  /** Forgets {@code value} if it is the current token (the server said it no longer knows it). */
  public void invalidate(String value) {
    synchronized (lock) {
      if (current != null && current.value().equals(value)) {
        LOG.info("{}: the server rejected the access token; a new one will be fetched", label);
        current = null;
        cancelTimerLocked();
      }
    }
  }

  /** The error of the last failed fetch, until a fetch succeeds. */
  public Optional<SecretsException> lastError() {
    synchronized (lock) {
      return Optional.ofNullable(lastError);
    }
  }

  /** When the current token expires, if there is one. */
  public Optional<Instant> expiresAt() {
    synchronized (lock) {
      IssuedToken token = current;
      return token == null ? Optional.empty() : Optional.of(token.expiresAt());
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      current = null;
      cancelTimerLocked();
    }
  }

  private static boolean valid(IssuedToken token, Instant now) {
    return token != null && now.isBefore(token.expiresAt().minus(EXPIRY_MARGIN));
  }

  private void startLocked() {
    CompletableFuture<IssuedToken> f = new CompletableFuture<>();
    inFlight = f;
    cancelTimerLocked();
    try {
      scheduler.execute(() -> fetchInto(f));
    } catch (RejectedExecutionException e) {
      inFlight = null;
      throw new StoreUnavailableException(label + ": the token scheduler is shut down", e);
    }
  }

  private IssuedToken await(CompletableFuture<IssuedToken> f) {
    try {
      return f.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SecretsException se) {
        throw Errors.sameKind(se, se.getMessage());
      }
      throw new StoreUnavailableException(label + ": obtaining a token failed", cause);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(
          label + ": no token within " + waitLimit.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(label + ": interrupted while waiting for a token", e);
    }
  }

  /** The scheduled renewal: fetches unless the token is idle or a fetch is running. */
  private void renew() {
    CompletableFuture<IssuedToken> f;
    synchronized (lock) {
      timer = null;
      if (closed || inFlight != null) {
        return;
      }
      if (!used) {
        LOG.debug("{}: token unused since it was issued; not renewing", label);
        return;
      }
      f = new CompletableFuture<>();
      inFlight = f;
    }
    fetchInto(f);
  }

  private void fetchInto(CompletableFuture<IssuedToken> f) {
    IssuedToken token;
    try {
      token = Objects.requireNonNull(fetcher.fetch(), "fetcher returned null");
    } catch (SecretsException e) {
      failed(f, e);
      return;
    } catch (RuntimeException e) {
      failed(
          f,
          new StoreUnavailableException(
              label + ": obtaining a token failed unexpectedly (" + e.getClass().getName() + ")",
              e));
      return;
    }
    Instant now;
    synchronized (lock) {
      now = clock.instant();
      current = token;
      used = false;
      failures = 0;
      lastError = null;
      nextAttempt = null;
      inFlight = null;
      if (!closed) {
        scheduleLocked(renewalTime(token, now), now);
      }
    }
    LOG.info(
        "{}: token obtained, expires in {} s",
        label,
        Duration.between(now, token.expiresAt()).toSeconds());
    f.complete(token);
  }

  private void failed(CompletableFuture<IssuedToken> f, SecretsException e) {
    Duration delay;
    boolean retry;
    synchronized (lock) {
      Instant now = clock.instant();
      lastError = e;
      failures++;
      inFlight = null;
      delay = backoff.delay(failures);
      nextAttempt = now.plus(delay);
      retry = !closed && failures < maxAttempts && valid(current, now);
      if (retry) {
        scheduleLocked(nextAttempt, now);
      }
    }
    if (retry) {
      LOG.warn(
          "{}: token renewal failed (attempt {}), still serving the current token; retrying in"
              + " {} ms: {}",
          label,
          failures,
          delay.toMillis(),
          e.getMessage());
    } else {
      LOG.warn("{}: obtaining a token failed (attempt {}): {}", label, failures, e.getMessage());
    }
    f.completeExceptionally(e);
  }

  private Instant renewalTime(IssuedToken token, Instant now) {
    Duration lifetime = Duration.between(now, token.expiresAt());
    if (lifetime.compareTo(renewBefore.multipliedBy(2)) <= 0) {
      return now.plus(lifetime.dividedBy(2));
    }
    return token.expiresAt().minus(renewBefore);
  }

  private void scheduleLocked(Instant at, Instant now) {
    cancelTimerLocked();
    long delay = Math.max(0, Duration.between(now, at).toMillis());
    try {
      timer = scheduler.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: scheduler shut down; no background renewal", label);
    }
  }

  private void cancelTimerLocked() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
