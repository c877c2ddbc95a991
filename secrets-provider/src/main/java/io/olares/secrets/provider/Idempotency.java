package io.olares.secrets.provider;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether a call may be sent again after a failure that left its outcome unknown, which decides
 * what the {@link ProviderClient} repeats (see {@link ProviderRetry} for the budget).
 *
 * <ul>
 *   <li>the connection could not be opened, so nothing was sent: every kind is repeated;
 *   <li>HTTP 429: every kind is repeated, since the server refused the request without acting on
 *       it;
 *   <li>HTTP 502, 503 or 504, or 500 carrying a readable {@code Retry-After}: {@link #READ} and
 *       {@link #IDEMPOTENT};
 *   <li>the connection reset or closed before any answer: {@link #READ} and {@link #IDEMPOTENT};
 *   <li>no answer within the read or call timeout: {@link #READ} only;
 *   <li>the answer's body cut off or timed out: {@link #READ} only.
 * </ul>
 *
 * <p>Any other answer (2xx, 4xx but 429, 500 without a readable {@code Retry-After}, 501, 505 and
 * above) is final. A 401 is handled apart from these rules: the refused credential is dropped and
 * the call repeated once with a fresh one, whatever the kind, since the server refused it before
 * acting.
 */
public enum Idempotency {
  /** The call changes nothing on the server: it may be repeated after any transient failure. */
  READ,

  /**
   * Repeating the call leaves the same state and earns the same answer as sending it once (setting
   * a value, for example). It is repeated where the server most likely did not act, but not after a
   * timeout or a cut-off answer: the first request may still be applying or have applied, and a
   * repetition could land after someone else's later write.
   */
  IDEMPOTENT,

  /**
   * The call may not be repeated (a create, or an op whose answer depends on what an earlier
   * attempt did). It is sent again only where nothing was applied: the connection could not be
   * opened, so nothing reached the server, or the server answered 429.
   */
  UNSAFE;

  /** The group of Olares' secret provider, whose ops are classified by name. */
  public static final String SECRET_PROVIDER_GROUP = "secret.infisical";

  /**
   * The kind of a provider op, by what the protocol says the op does. For Olares' secret provider
   * ({@code secret.infisical}): {@code RetrieveSecret} and {@code ListSecret} are {@link #READ};
   * {@code UpdateSecret} (sets a secret to the value sent) is {@link #IDEMPOTENT}; {@code
   * CreateSecret} (a second create fails with "already exists", and the first create of a workspace
   * creates its project) and {@code DeleteSecret} (a repetition after an applied first attempt
   * answers "not found", so the caller would be told the secret never existed) are {@link #UNSAFE}.
   * Every op of any other provider is {@link #UNSAFE}, since its meaning is not known here; a
   * caller that knows better passes the kind to {@link ProviderClient#call(ProviderOp,
   * com.fasterxml.jackson.databind.JsonNode, Idempotency)}.
   */
  public static Idempotency of(ProviderOp op) {
    Objects.requireNonNull(op, "op");
    if (!op.group().equals(SECRET_PROVIDER_GROUP)) {
      return UNSAFE;
    }
    return switch (op.opName()) {
      case "RetrieveSecret", "ListSecret" -> READ;
      case "UpdateSecret" -> IDEMPOTENT;
      default -> UNSAFE;
    };
  }

  /**
   * The kind of an HTTP method by its definition in RFC 9110: {@code GET}, {@code HEAD} and {@code
   * OPTIONS} are {@link #READ}; {@code PUT} and {@code DELETE} are {@link #IDEMPOTENT}; {@code
   * POST}, {@code PATCH} and anything else are {@link #UNSAFE}.
   */
  public static Idempotency ofMethod(String method) {
    return switch (Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS" -> READ;
      case "PUT", "DELETE" -> IDEMPOTENT;
      default -> UNSAFE;
    };
  }
}
