package io.olares.secrets.infisical.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.infisical.InfisicalAuth;
import io.olares.secrets.infisical.InfisicalAuth.AccessTokenAuth;
import io.olares.secrets.infisical.InfisicalAuth.KubernetesAuth;
import io.olares.secrets.infisical.InfisicalAuth.UniversalAuth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the Infisical access token of one store. It logs in on first use, renews the token on a
 * background thread when two thirds of its lifetime have passed, logs in again where renewal is
 * refused or would pass the token's max TTL, and logs in again after the server rejects the token
 * (some servers revoke a token they just renewed). Only one login or renewal runs at a time;
 * threads that need a token meanwhile wait for its result.
 *
 * <p>Thread-safe. Logs lifecycle (logged in, renewed, expires in N s), never a token or secret.
 */
public final class TokenManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

  private final InfisicalAuth auth;
  private final Transport transport;
  private final Clock clock;
  private final Duration skew;
  private final boolean revokeOnClose;
  private final String store;
  private final ReentrantLock lock = new ReentrantLock();
  private final ScheduledExecutorService scheduler;
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile AccessToken token;
  private ScheduledFuture<?> next;
  private boolean closed;

  /** An access token with its lifetime as the server stated it. */
  public static final class AccessToken {
    private final String value;
    private final Instant issuedAt;
    private final Duration ttl;
    private final Instant expiresAt;
    private final Instant maxExpiresAt;
    private final boolean fixed;

    AccessToken(String value, Instant issuedAt, Duration ttl, Instant maxExpiresAt, boolean fixed) {
      this.value = value;
      this.issuedAt = issuedAt;
      this.ttl = ttl;
      this.expiresAt = fixed || ttl.isZero() ? Instant.MAX : issuedAt.plus(ttl);
      this.maxExpiresAt = maxExpiresAt;
      this.fixed = fixed;
    }

    /** The bearer value; never log it. */
    public String value() {
      return value;
    }

    /** When it expires unless renewed. */
    public Instant expiresAt() {
      return expiresAt;
    }

    /** When it can no longer be renewed, or null where there is no max TTL. */
    public Instant maxExpiresAt() {
      return maxExpiresAt;
    }

    @Override
    public String toString() {
      return "AccessToken[redacted, expires " + expiresAt + "]";
    }
  }

  /** A token manager for {@code auth}; {@code background} starts the renewal thread. */
  public TokenManager(
      InfisicalAuth auth,
      Transport transport,
      Clock clock,
      Duration skew,
      boolean background,
      boolean revokeOnClose,
      String store) {
    this.auth = auth;
    this.transport = transport;
    this.clock = clock;
    this.skew = skew;
    this.revokeOnClose = revokeOnClose;
    this.store = store;
    this.scheduler =
        background && !(auth instanceof AccessTokenAuth)
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "infisical-token-" + store);
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (auth instanceof AccessTokenAuth) {
      AccessTokenAuth fixed = (AccessTokenAuth) auth;
      this.token =
          new AccessToken(fixed.token().revealString(), clock.instant(), Duration.ZERO, null, true);
    }
  }

  /** A usable token, logging in or renewing first where needed. */
  public AccessToken current() {
    AccessToken t = token;
    if (t != null && usable(t)) {
      return t;
    }
    lock.lock();
    try {
      checkOpen();
      t = token;
      if (t != null && usable(t)) {
        return t;
      }
      token = obtain(t);
      schedule(token);
      return token;
    } finally {
      lock.unlock();
    }
  }

  /** The server rejected {@code rejected}: drop it, so the next {@link #current()} logs in. */
  public void rejected(AccessToken rejected) {
    lock.lock();
    try {
      if (token == rejected && !rejected.fixed) {
        LOG.info("Infisical rejected the access token of store {}; logging in again", store);
        token = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /** False for a fixed access token: a rejection of it is final. */
  public boolean canLogIn() {
    return !(auth instanceof AccessTokenAuth);
  }

  /** Logins performed so far. */
  public int logins() {
    return logins.get();
  }

  /** Successful renewals so far. */
  public int renewals() {
    return renewals.get();
  }

  /** When the current token will be renewed; null where there is none to renew. */
  public Instant renewAt() {
    AccessToken t = token;
    return t == null || t.fixed ? null : renewAt(t);
  }

  private static Instant renewAt(AccessToken t) {
    return t.expiresAt.equals(Instant.MAX)
        ? Instant.MAX
        : t.issuedAt.plus(t.ttl.multipliedBy(2).dividedBy(3));
  }

  /**
   * Renews (or replaces) the token where its renewal time has come. The background thread calls
   * this; tests on a manual clock call it directly.
   */
  public void maintain() {
    lock.lock();
    try {
      AccessToken t = token;
      if (closed || t == null || t.fixed) {
        return;
      }
      if (clock.instant().isBefore(renewAt(t))) {
        schedule(t);
        return;
      }
      token = obtain(t);
      schedule(token);
    } catch (SecretsException e) {
      AccessToken t = token;
      Duration left = t == null ? Duration.ZERO : Duration.between(clock.instant(), t.expiresAt);
      Duration retry = clamp(left.dividedBy(2), Duration.ofSeconds(1), Duration.ofSeconds(30));
      LOG.warn(
          "Infisical token renewal for store {} failed ({}); retrying in {} s",
          store,
          e.getMessage(),
          retry.toSeconds());
      scheduleIn(retry);
    } finally {
      lock.unlock();
    }
  }

  private boolean usable(AccessToken t) {
    if (t.fixed) {
      return true;
    }
    Instant now = clock.instant();
    Duration margin = t.ttl.isZero() ? skew : min(skew, t.ttl.dividedBy(10));
    return now.isBefore(t.expiresAt.minus(margin))
        && (t.maxExpiresAt == null || now.isBefore(t.maxExpiresAt.minus(margin)));
  }

  private AccessToken obtain(AccessToken old) {
    if (old != null && !old.fixed && renewable(old)) {
      try {
        AccessToken renewed = renew(old);
        renewals.incrementAndGet();
        LOG.info(
            "Infisical token of store {} renewed; expires in {} s",
            store,
            Duration.between(clock.instant(), renewed.expiresAt).toSeconds());
        return renewed;
      } catch (SecretsException e) {
        LOG.info(
            "Infisical refused to renew the token of store {} ({}); logging in again",
            store,
            e.getMessage());
      }
    }
    return login();
  }

  /** False where the token expired or a renewal would reach past its max TTL. */
  private boolean renewable(AccessToken t) {
    Instant now = clock.instant();
    if (!now.isBefore(t.expiresAt)) {
      return false;
    }
    return t.maxExpiresAt == null || !now.plus(t.ttl).isAfter(t.maxExpiresAt);
  }

  private AccessToken renew(AccessToken old) {
    byte[] body = Json.write(g -> g.writeStringField("accessToken", old.value));
    try {
      Transport.Call call =
          new Transport.Call(
              "POST",
              transport.url("/api/v1/auth/token/renew").build(),
              body,
              null,
              true,
              "token renewal");
      return transport.execute(
          call,
          reply -> token(reply, old.maxExpiresAt, old.issuedAt),
          error -> {
            throw new AccessDeniedException(
                "Infisical refused to renew the token (" + error.describe() + ")");
          });
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private AccessToken login() {
    if (auth instanceof AccessTokenAuth) {
      throw new AccessDeniedException(
          "Infisical rejected the configured access token of store " + store);
    }
    byte[] body;
    String path;
    String who;
    if (auth instanceof UniversalAuth) {
      UniversalAuth ua = (UniversalAuth) auth;
      char[] secret = ua.clientSecret().revealChars();
      try {
        body =
            Json.write(
                g -> {
                  g.writeStringField("clientId", ua.clientId());
                  g.writeFieldName("clientSecret");
                  g.writeString(secret, 0, secret.length);
                });
      } finally {
        Arrays.fill(secret, '\0');
      }
      path = "/api/v1/auth/universal-auth/login";
      who = "client id " + ua.clientId();
    } else {
      KubernetesAuth ka = (KubernetesAuth) auth;
      char[] jwt = readTokenFile(ka);
      try {
        body =
            Json.write(
                g -> {
                  g.writeStringField("identityId", ka.identityId());
                  g.writeFieldName("jwt");
                  g.writeString(jwt, 0, jwt.length);
                });
      } finally {
        Arrays.fill(jwt, '\0');
      }
      path = "/api/v1/auth/kubernetes-auth/login";
      who = "identity " + ka.identityId();
    }
    try {
      Transport.Call call =
          new Transport.Call(
              "POST", transport.url(path).build(), body, null, true, auth.method() + " login");
      AccessToken t = transport.execute(call, reply -> token(reply, null, null), e -> fail(e, who));
      logins.incrementAndGet();
      LOG.info(
          "Store {} logged in to Infisical with {}; token expires in {} s",
          store,
          auth.method(),
          Duration.between(clock.instant(), t.expiresAt).toSeconds());
      return t;
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private AccessToken fail(ApiError error, String who) {
    String what = "Infisical " + auth.method() + " login of " + who;
    switch (error.kind()) {
      case TOKEN_REJECTED:
      case FORBIDDEN:
        throw new AccessDeniedException(what + " was refused (" + error.describe() + ")");
      case INVALID_REQUEST:
      case NOT_FOUND:
      case ROUTE_NOT_FOUND:
        throw new ConfigurationException(what + " was rejected (" + error.describe() + ")");
      default:
        throw new StoreUnavailableException(what + " failed (" + error.describe() + ")");
    }
  }

  private static char[] readTokenFile(KubernetesAuth ka) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(ka.tokenFile());
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read the Kubernetes service-account token at "
              + ka.tokenFile()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw));
      int start = chars.position();
      int end = chars.limit();
      while (start < end && Character.isWhitespace(chars.get(start))) {
        start++;
      }
      while (end > start && Character.isWhitespace(chars.get(end - 1))) {
        end--;
      }
      char[] out = new char[end - start];
      chars.position(start);
      chars.get(out, 0, out.length);
      if (chars.hasArray()) {
        Arrays.fill(chars.array(), '\0');
      }
      if (out.length == 0) {
        throw new ConfigurationException(
            "the Kubernetes service-account token file " + ka.tokenFile() + " is empty");
      }
      return out;
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Reads a token answer {@code {accessToken, expiresIn, accessTokenMaxTTL, tokenType}}. */
  private AccessToken token(Transport.Reply reply, Instant maxExpiresAt, Instant createdAt) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(reply.body());
    } catch (IOException e) {
      throw new Transport.MalformedAnswer("token answer is not valid JSON", e);
    }
    JsonNode value = node == null ? null : node.get("accessToken");
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new Transport.MalformedAnswer("token answer has no accessToken", null);
    }
    Instant now = clock.instant();
    Duration ttl = Duration.ofSeconds(Math.max(0, node.path("expiresIn").asLong(0)));
    long maxTtl = node.path("accessTokenMaxTTL").asLong(0);
    Instant max = maxExpiresAt;
    if (createdAt == null) {
      max = maxTtl > 0 ? now.plusSeconds(maxTtl) : null;
    }
    return new AccessToken(value.asText(), now, ttl, max, false);
  }

  private void schedule(AccessToken t) {
    if (scheduler == null || t.fixed || closed) {
      return;
    }
    Instant at = renewAt(t);
    if (at.equals(Instant.MAX)) {
      return;
    }
    scheduleIn(Duration.between(clock.instant(), at));
  }

  private void scheduleIn(Duration delay) {
    if (scheduler == null || closed) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    long millis = Math.max(0, delay.toMillis());
    next = scheduler.schedule(this::maintain, millis, TimeUnit.MILLISECONDS);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store " + store + " is closed");
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration clamp(Duration d, Duration lo, Duration hi) {
    return d.compareTo(lo) < 0 ? lo : d.compareTo(hi) > 0 ? hi : d;
  }

  /** Stops renewing and revokes a token obtained by login (best effort, one attempt). */
  @Override
  public void close() {
    AccessToken t;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (next != null) {
        next.cancel(false);
      }
      t = token;
      token = null;
    } finally {
      lock.unlock();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (revokeOnClose && t != null && !t.fixed && clock.instant().isBefore(t.expiresAt)) {
      revoke(t);
    }
  }

  private void revoke(AccessToken t) {
    if (clock.instant().isBefore(transport.gate().openAt())) {
      LOG.debug("not revoking the token of store {}: Infisical asked clients to wait", store);
      return;
    }
    byte[] body = Json.write(g -> g.writeStringField("accessToken", t.value));
    try {
      Transport.Call call =
          new Transport.Call(
              "POST",
              transport.url("/api/v1/auth/token/revoke").build(),
              body,
              null,
              true,
              "token revocation");
      transport.execute(
          call,
          reply -> Boolean.TRUE,
          error -> {
            LOG.info(
                "Infisical did not revoke the token of store {} ({})", store, error.describe());
            return Boolean.FALSE;
          });
      LOG.debug("Infisical token of store {} revoked", store);
    } catch (SecretsException e) {
      LOG.info("could not revoke the Infisical token of store {}: {}", store, e.getMessage());
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }
}
