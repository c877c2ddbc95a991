package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.provider.AppKeyAuth;
import io.olares.secrets.provider.Idempotency;
import io.olares.secrets.provider.ProviderOp;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Generation-1 credentials: one {@link RenewingToken} per op, each obtained from {@code POST
 * /permission/v1alpha1/access} with a bcrypt token. An op's token covers exactly that op (the
 * server compares ops exactly at call time), so each op is fetched and renewed on its own and a
 * grant missing for one op does not break the others.
 *
 * <p>A token request is a read (it changes nothing but the server's set of live tokens), so a
 * transient failure is repeated through the client's {@link Retrier}; every attempt signs a fresh
 * timestamp, since the server refuses timestamps more than 10 s off its clock.
 */
public final class AppKeyAuthenticator implements Authenticator {
  /** The header generation-1 calls carry. */
  public static final String HEADER = "X-Access-Token";

  /** The path of the access endpoint. */
  public static final String ACCESS_PATH = "/permission/v1alpha1/access";

  private final AppKeyAuth auth;
  private final SecretValue secret;
  private final Transport transport;
  private final Retrier retrier;
  private final String label;
  private final HttpUrl accessUrl;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final RandomGenerator jitter;
  private final Duration waitLimit;
  private final SecureRandom saltRandom = new SecureRandom();
  private final ConcurrentHashMap<ProviderOp, RenewingToken> tokens = new ConcurrentHashMap<>();

  /**
   * Credentials for calls to system-server at {@code endpoint}.
   *
   * @param label prefixes messages (the client's name), may be empty
   */
  public AppKeyAuthenticator(
      AppKeyAuth auth,
      HttpUrl endpoint,
      Retrier retrier,
      String label,
      Clock clock,
      ScheduledExecutorService scheduler,
      RandomGenerator jitter,
      Duration waitLimit) {
    this.auth = auth;
    this.secret = auth.appSecret();
    this.retrier = retrier;
    this.transport = retrier.transport();
    this.label = label;
    this.accessUrl = Urls.resolve(endpoint, ACCESS_PATH);
    this.clock = clock;
    this.scheduler = scheduler;
    this.jitter = jitter;
    this.waitLimit = waitLimit;
  }

  @Override
  public String authorize(Request.Builder request, ProviderOp op) {
    if (op == null) {
      throw new UnsupportedOperationException(
          "generation-1 access tokens are bound to ops: call a ProviderOp, not a path");
    }
    String token = tokens.computeIfAbsent(op, this::newToken).token();
    request.header(HEADER, token);
    return token;
  }

  @Override
  public boolean rejected(ProviderOp op, String credential, int status) {
    if (status != 401 || op == null) {
      return false;
    }
    RenewingToken token = tokens.get(op);
    if (token == null) {
      return false;
    }
    token.invalidate(credential);
    return true;
  }

  @Override
  public Optional<SecretsException> lastError() {
    return tokens.values().stream().flatMap(t -> t.lastError().stream()).findFirst();
  }

  /** The token source of {@code op}, if one was created. */
  public Optional<RenewingToken> tokenFor(ProviderOp op) {
    return Optional.ofNullable(tokens.get(op));
  }

  @Override
  public void close() {
    tokens.values().forEach(RenewingToken::close);
    secret.close();
  }

  private RenewingToken newToken(ProviderOp op) {
    return new RenewingToken(
        "access token for " + op,
        () -> fetch(op),
        clock,
        scheduler,
        auth.renewBefore(),
        new Backoff(auth.minBackoff(), auth.maxBackoff(), jitter),
        auth.maxAttempts(),
        waitLimit);
  }

  private RenewingToken.IssuedToken fetch(ProviderOp op) {
    String what = label + "system-server access token for " + op;
    long[] timestamp = new long[1];
    Transport.Reply reply;
    try {
      reply =
          retrier.execute(
              Idempotency.READ,
              what,
              () -> {
                timestamp[0] = clock.instant().getEpochSecond();
                return Retrier.attempt(accessRequest(op, timestamp[0]));
              });
    } catch (StoreUnavailableException e) {
      throw e; // unreachable, or a 429/5xx after the last attempt: nothing to explain
    } catch (SecretsException e) {
      throw explain(e, null, timestamp[0], op);
    }
    JsonNode data;
    try {
      data = Replies.read(reply, what, transport.json());
    } catch (SecretsException e) {
      throw explain(e, reply, timestamp[0], op);
    }
    String token = data.path("access_token").asText("");
    String expiredAt = data.path("expired_at").asText("");
    if (token.isEmpty() || expiredAt.isEmpty()) {
      throw new StoreUnavailableException(what + ": the reply lacks access_token or expired_at");
    }
    Instant expires;
    try {
      expires = OffsetDateTime.parse(expiredAt).toInstant();
    } catch (DateTimeParseException e) {
      throw new StoreUnavailableException(
          what + ": expired_at '" + Errors.printable(expiredAt) + "' is not an RFC 3339 time");
    }
    return new RenewingToken.IssuedToken(token, expires);
  }

  private Request accessRequest(ProviderOp op, long timestamp) {
    byte[] salt = new byte[16];
    saltRandom.nextBytes(salt);
    String bcrypt =
        AppKeyTokens.token(
            AppKeyTokens.VERSION, auth.appKey(), timestamp, secret, salt, auth.bcryptCost());
    ObjectNode body = transport.json().createObjectNode();
    body.put("app_key", auth.appKey());
    body.put("timestamp", timestamp);
    body.put("token", bcrypt);
    ObjectNode perm = body.putObject("perm");
    perm.put("group", op.group());
    perm.put("dataType", op.dataType());
    perm.put("version", op.version());
    perm.putArray("ops").add(op.op());
    return new Request.Builder()
        .url(accessUrl)
        .post(transport.jsonBody(body))
        .header("Accept", "application/json")
        .build();
  }

  /**
   * Adds what the client knows to the server's terse refusals; {@code reply} is null where the
   * refusal is not at hand.
   */
  private SecretsException explain(
      SecretsException e, Transport.Reply reply, long timestamp, ProviderOp op) {
    String message = e.getMessage().toLowerCase(Locale.ROOT);
    if (message.contains("time expired") || message.contains("timestamp")) {
      return new StoreUnavailableException(
          "system-server refused the access-token request because its timestamp ("
              + timestamp
              + ") is more than 10 s from the server's clock"
              + skew(reply, timestamp)
              + "; synchronize this host's clock (NTP). "
              + e.getMessage(),
          e);
    }
    if (message.contains("app not found")) {
      return new AccessDeniedException(
          "system-server does not know this app key (check OS_APP_KEY): " + e.getMessage(), e);
    }
    if (message.contains("not allowed") || message.contains("permission")) {
      return new AccessDeniedException(
          "system-server will not grant "
              + op
              + ": the app's OlaresManifest.yaml must list it under permission.sysData (the op"
              + " exactly, or its name without the query string). "
              + e.getMessage(),
          e);
    }
    if (e instanceof StoreUnavailableException) {
      return e;
    }
    return new AccessDeniedException(
        "system-server refused the access-token request (check OS_APP_KEY and OS_APP_SECRET): "
            + e.getMessage(),
        e);
  }

  private static String skew(Transport.Reply reply, long timestamp) {
    Date date = reply == null ? null : reply.headers().getDate("Date");
    if (date == null) {
      return "";
    }
    long offset = timestamp - date.toInstant().getEpochSecond();
    return " (this host is "
        + Math.abs(offset)
        + " s "
        + (offset >= 0 ? "ahead of" : "behind")
        + " the server, by its Date header)";
  }
}
