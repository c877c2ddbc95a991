package io.olares.secrets.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.SecretsException;
import io.olares.secrets.provider.internal.AppKeyAuthenticator;
import io.olares.secrets.provider.internal.Authenticator;
import io.olares.secrets.provider.internal.DurationOption;
import io.olares.secrets.provider.internal.NonceAuthenticator;
import io.olares.secrets.provider.internal.Replies;
import io.olares.secrets.provider.internal.Retrier;
import io.olares.secrets.provider.internal.ServiceAccountAuthenticator;
import io.olares.secrets.provider.internal.Transport;
import io.olares.secrets.provider.internal.Urls;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Olares service providers, in either access generation, and maps every reply shape to a
 * result or a typed exception.
 *
 * <p>Where calls go, by {@link ProviderAuth} strategy:
 *
 * <ul>
 *   <li>{@link AppKeyAuth}: {@code POST <endpoint>/system-server/v1alpha1/<dataType>/<group>/
 *       <version>/<op>} with {@code X-Access-Token}; the endpoint defaults to system-server.
 *   <li>{@link TerminusNonceAuth}: {@code POST <endpoint>/legacy/v1alpha1/<group>/<version>/<op>}
 *       with {@code Terminus-Nonce}.
 *   <li>{@link ServiceAccountAuth}: {@code POST <endpoint>/<op>} with {@code Authorization:
 *       Bearer}; the endpoint is the provider's host and must be given.
 * </ul>
 *
 * <p>Replies: HTTP 200 with {@code code != 0} is an error, nested {@code {code, message, data}}
 * envelopes are unwrapped, an empty success body is success ({@link
 * com.fasterxml.jackson.databind.node.NullNode}). Errors map to {@link
 * io.olares.secrets.AccessDeniedException} (401, 403, "data access denied", permission wording),
 * {@link io.olares.secrets.SecretNotFoundException} (missing items), {@link
 * io.olares.secrets.StoreUnavailableException} (unreachable, 429, 5xx) or {@link SecretsException},
 * each with the server's message and never a request or reply value. A 401 on a call drops the
 * credential used and repeats the call once with a fresh one (system-server forgets its tokens when
 * it restarts; the kubelet rotates service-account tokens).
 *
 * <p>Repeats: a call that failed transiently (502, 503, 504, 500 with {@code Retry-After}, a
 * connection that failed or broke, a timeout) is sent again where its {@link Idempotency} allows,
 * and a call the server refused with 429 is sent again whatever its kind, up to {@link
 * ProviderRetry#retries()} times within {@link ProviderRetry#maxWait()}, honouring {@code
 * Retry-After}, else backing off exponentially with jitter. Provider ops are classified by {@link
 * Idempotency#of(ProviderOp)}, calls by path by {@link Idempotency#ofMethod(String)}, and
 * access-token requests are reads (each attempt signs a fresh timestamp). Unless a caller states
 * otherwise, an op of an unknown provider is never repeated after its request may have reached the
 * server, unless the server refused it with 429. A {@link
 * io.olares.secrets.StoreUnavailableException} that ends a call names the client ({@link
 * Builder#name}), the call, the status or failure and the number of requests sent.
 *
 * <p>Thread-safe; share one client. Closing it stops token renewal and, where the client created
 * them, its scheduler thread and HTTP connections.
 */
public final class ProviderClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderClient.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** How long a call waits for a token by default. */
  public static final Duration DEFAULT_TOKEN_WAIT = Duration.ofSeconds(30);

  /** The connect, read and write timeout of the HTTP client the builder creates. */
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(15);

  private final ProviderAuth auth;
  private final HttpUrl endpoint;
  private final String label;
  private final Transport transport;
  private final Retrier retrier;
  private final Authenticator authenticator;
  private final ScheduledExecutorService ownedScheduler;
  private final OkHttpClient ownedHttp;

  private ProviderClient(Builder b) {
    this.auth = Objects.requireNonNull(b.auth, "auth is required");
    this.endpoint =
        b.endpoint != null
            ? b.endpoint
            : auth.defaultEndpoint()
                .orElseThrow(
                    () ->
                        new ConfigurationException(
                            "a generation-2 provider client needs the provider's endpoint"));
    OkHttpClient http = b.http;
    if (http == null) {
      http =
          new OkHttpClient.Builder()
              .connectTimeout(DEFAULT_HTTP_TIMEOUT)
              .readTimeout(DEFAULT_HTTP_TIMEOUT)
              .writeTimeout(DEFAULT_HTTP_TIMEOUT)
              .followRedirects(false)
              .build();
      this.ownedHttp = http;
    } else {
      this.ownedHttp = null;
    }
    this.label = b.name == null ? "" : "store '" + b.name + "': ";
    this.transport = new Transport(http, b.json != null ? b.json : new ObjectMapper());
    Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
    // a generator of its own: token renewals draw from the builder's under their own locks
    this.retrier = new Retrier(transport, b.retry, clock, b.sleeper, new SplittableRandom());
    if (auth instanceof AppKeyAuth appKey) {
      ScheduledExecutorService scheduler = b.scheduler;
      if (scheduler == null) {
        ScheduledThreadPoolExecutor own =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "olares-provider-tokens-" + THREADS.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
        own.setRemoveOnCancelPolicy(true);
        own.setKeepAliveTime(30, TimeUnit.SECONDS);
        own.allowCoreThreadTimeOut(true);
        scheduler = own;
        this.ownedScheduler = own;
      } else {
        this.ownedScheduler = null;
      }
      RandomGenerator jitter = b.random != null ? b.random : new SplittableRandom();
      this.authenticator =
          new AppKeyAuthenticator(
              appKey, endpoint, retrier, label, clock, scheduler, jitter, b.tokenWait);
    } else if (auth instanceof ServiceAccountAuth sa) {
      this.ownedScheduler = null;
      this.authenticator = new ServiceAccountAuthenticator(sa.tokenFile());
    } else {
      TerminusNonceAuth nonce = (TerminusNonceAuth) auth;
      this.ownedScheduler = null;
      try (var key = nonce.randomKey()) {
        this.authenticator = new NonceAuthenticator(key, clock);
      }
    }
    LOG.info(
        "provider client for {} ({}, {}, {} retries within {} s)",
        endpoint,
        auth.generation(),
        authName(),
        b.retry.retries(),
        b.retry.maxWait().toSeconds());
  }

  /**
   * A client configured from a store's options and context, for stores that reach a provider.
   * Options: {@code generation} ({@code 1} / {@code sysData} or {@code 2} / {@code provider};
   * default 1 where an app key is configured or {@code OS_APP_KEY} is set, else 2); for generation
   * 1 {@code appKey}, {@code appSecret}, {@code systemServer} (defaults: {@code OS_APP_KEY}, {@code
   * OS_APP_SECRET}, {@code OS_SYSTEM_SERVER}) and {@code renewBefore}; for generation 2 {@code
   * tokenFile} (default the pod's) and {@code endpoint} (default {@code defaultEndpoint}); {@code
   * timeout} for HTTP (1 ms to 10 min); {@code renewBefore} (1 ms to 1 h); {@code retries} and
   * {@code retryMaxWait} ({@link ProviderRetry#fromConfig}). The context's clock decides token
   * times and retry deadlines; the client is named after the store in its messages.
   *
   * @param defaultEndpoint the generation-2 provider host where {@code endpoint} is not set; may be
   *     null
   * @throws ConfigurationException naming the option or environment variable that is wrong
   */
  public static ProviderClient fromConfig(
      io.olares.secrets.spi.StoreConfig config,
      io.olares.secrets.spi.StoreContext context,
      String defaultEndpoint) {
    String generation =
        config
            .string("generation")
            .orElse(
                config.string("appKey").isPresent()
                        || context.env(AppKeyAuth.ENV_APP_KEY).isPresent()
                    ? "1"
                    : "2");
    Duration timeout = DurationOption.timeout(config).orElse(DEFAULT_HTTP_TIMEOUT);
    Builder b =
        builder()
            .name(config.name())
            .retry(ProviderRetry.fromConfig(config))
            .clock(context.clock())
            .httpClient(
                new OkHttpClient.Builder()
                    .callTimeout(timeout)
                    .connectTimeout(timeout)
                    .readTimeout(timeout)
                    .followRedirects(false)
                    .build());
    switch (generation.toLowerCase(Locale.ROOT)) {
      case "1":
      case "sysdata":
        {
          java.util.function.Function<String, String> env =
              name -> {
                String option =
                    switch (name) {
                      case AppKeyAuth.ENV_APP_KEY -> "appKey";
                      case AppKeyAuth.ENV_APP_SECRET -> "appSecret";
                      default -> "systemServer";
                    };
                return config.string(option).orElseGet(() -> context.env(name).orElse(null));
              };
          AppKeyAuth.Builder auth = AppKeyAuth.builder().fromEnvironment(env);
          DurationOption.positive(
                  config, "renewBefore", DurationOption.LONGEST_RENEW_BEFORE, "1ms and 1h")
              .ifPresent(auth::renewBefore);
          b.auth(auth.build());
          config.string("endpoint").ifPresent(b::endpoint);
          break;
        }
      case "2":
      case "provider":
        {
          java.nio.file.Path file =
              config
                  .string("tokenFile")
                  .map(java.nio.file.Path::of)
                  .orElse(ServiceAccountAuth.DEFAULT_TOKEN_FILE);
          b.auth(ServiceAccountAuth.fromFile(file));
          String endpoint = config.string("endpoint").orElse(defaultEndpoint);
          if (endpoint == null) {
            throw config.bad("endpoint", "is required for generation-2 provider access");
          }
          b.endpoint(endpoint);
          break;
        }
      default:
        throw config.bad("generation", "must be 1 (sysData) or 2 (provider)");
    }
    return b.build();
  }

  /** A builder; {@link Builder#auth} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The access generation of this client's authentication. */
  public Generation generation() {
    return auth.generation();
  }

  /** The base URL calls go to. */
  public HttpUrl endpoint() {
    return endpoint;
  }

  /** The authentication strategy. */
  public ProviderAuth auth() {
    return auth;
  }

  /**
   * Calls one provider op with a JSON body ({@code null} sends {@code {}}) and returns the
   * provider's data, unwrapped from its envelopes; a JSON null for an empty success reply.
   *
   * @throws io.olares.secrets.AccessDeniedException where the server or the provider refused
   * @throws io.olares.secrets.SecretNotFoundException where the provider says the item is missing
   * @throws io.olares.secrets.StoreUnavailableException where the server cannot be reached or fails
   * @throws SecretsException for any other error reply, with the server's message
   */
  public JsonNode call(ProviderOp op, JsonNode body) {
    return call(op, body, Idempotency.of(Objects.requireNonNull(op, "op")));
  }

  /**
   * {@link #call(ProviderOp, JsonNode)} for an op whose {@link Idempotency} the caller knows (an op
   * of a provider {@link Idempotency#of(ProviderOp)} does not classify, say).
   */
  public JsonNode call(ProviderOp op, JsonNode body, Idempotency kind) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(kind, "kind");
    HttpUrl url;
    if (auth instanceof AppKeyAuth) {
      url =
          Urls.resolve(
              endpoint,
              "/system-server/v1alpha1/"
                  + op.dataType()
                  + "/"
                  + op.group()
                  + "/"
                  + op.version()
                  + "/"
                  + op.op());
    } else if (auth instanceof TerminusNonceAuth) {
      url =
          Urls.resolve(
              endpoint, "/legacy/v1alpha1/" + op.group() + "/" + op.version() + "/" + op.op());
    } else {
      url = Urls.resolve(endpoint, "/" + op.op());
    }
    return send("POST", url, body, op, kind, label + "provider op " + op);
  }

  /** {@link #call(ProviderOp, JsonNode)} with the op's parts. */
  public JsonNode call(String dataType, String group, String version, String op, JsonNode body) {
    return call(new ProviderOp(dataType, group, version, op), body);
  }

  /**
   * Calls a path under the endpoint ({@code /api/account/list}) with the client's credentials. For
   * {@link ServiceAccountAuth} and {@link TerminusNonceAuth}; generation-1 access tokens are bound
   * to ops, so an {@link AppKeyAuth} client only makes {@link #call(ProviderOp, JsonNode)}s.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param pathAndQuery starts with {@code /}
   * @param body the JSON body; ignored for {@code GET}, {@code {}} where null otherwise
   * @throws UnsupportedOperationException for an {@link AppKeyAuth} client
   */
  public JsonNode request(String method, String pathAndQuery, JsonNode body) {
    return request(method, pathAndQuery, body, Idempotency.ofMethod(method));
  }

  /**
   * {@link #request(String, String, JsonNode)} for a call whose {@link Idempotency} the caller
   * knows (a {@code POST} that only reads, say).
   */
  public JsonNode request(String method, String pathAndQuery, JsonNode body, Idempotency kind) {
    Objects.requireNonNull(kind, "kind");
    if (auth instanceof AppKeyAuth) {
      throw new UnsupportedOperationException(
          "generation-1 access tokens are bound to ops: use call(ProviderOp, body)");
    }
    String m = method.toUpperCase(Locale.ROOT);
    HttpUrl url = Urls.resolve(endpoint, pathAndQuery);
    return send(m, url, body, null, kind, label + m + " " + url.encodedPath());
  }

  /** The last failure to obtain a credential, while no later attempt succeeded. */
  public Optional<SecretsException> lastAuthError() {
    return authenticator.lastError();
  }

  @Override
  public void close() {
    authenticator.close();
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    if (ownedHttp != null) {
      ownedHttp.dispatcher().executorService().shutdown();
      ownedHttp.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "ProviderClient[" + endpoint + ", " + auth.generation() + ", " + authName() + "]";
  }

  private String authName() {
    return auth.getClass().getSimpleName();
  }

  private JsonNode send(
      String method, HttpUrl url, JsonNode body, ProviderOp op, Idempotency kind, String what) {
    Transport.Reply reply =
        retrier.execute(
            kind,
            what,
            () -> {
              RequestBody requestBody = method.equals("GET") ? null : transport.jsonBody(body);
              Request.Builder request =
                  new Request.Builder()
                      .url(url)
                      .method(method, requestBody)
                      .header("Accept", "application/json");
              String credential = authenticator.authorize(request, op);
              Request built = request.build();
              return new Retrier.Attempt() {
                @Override
                public Request request() {
                  return built;
                }

                @Override
                public boolean refused() {
                  return authenticator.rejected(op, credential, 401);
                }
              };
            });
    return Replies.read(reply, what, transport.json());
  }

  /** Builds a {@link ProviderClient}; not thread-safe. */
  public static final class Builder {
    private ProviderAuth auth;
    private HttpUrl endpoint;
    private OkHttpClient http;
    private ObjectMapper json;
    private Clock clock;
    private ScheduledExecutorService scheduler;
    private RandomGenerator random;
    private Duration tokenWait = DEFAULT_TOKEN_WAIT;
    private String name;
    private ProviderRetry retry = ProviderRetry.DEFAULT;
    private ProviderRetry.Sleeper sleeper = ProviderRetry.Sleeper.SYSTEM;

    private Builder() {}

    /**
     * The name messages give the client ({@code store '<name>': ...}), usually the store's; by
     * default messages name only the call.
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** How failed calls are repeated; default {@link ProviderRetry#DEFAULT}. */
    public Builder retry(ProviderRetry retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * How the client waits before repeating a call; default {@link ProviderRetry.Sleeper#SYSTEM}.
     * Deadlines are read from the {@link #clock}.
     */
    public Builder sleeper(ProviderRetry.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The authentication strategy; required. */
    public Builder auth(ProviderAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /**
     * The base URL of calls: system-server for generation 1 (default: the strategy's), the
     * provider's host for generation 2 (required).
     */
    public Builder endpoint(String hostOrUrl) {
      this.endpoint = Urls.endpoint("endpoint", hostOrUrl);
      return this;
    }

    /** The base URL of calls. */
    public Builder endpoint(HttpUrl url) {
      this.endpoint = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The HTTP client (timeouts, interceptors); the caller keeps ownership. */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** The JSON mapper replies are read with. */
    public Builder objectMapper(ObjectMapper json) {
      this.json = Objects.requireNonNull(json, "json");
      return this;
    }

    /**
     * The clock token timestamps, validity and renewal, {@code Retry-After} dates and retry
     * deadlines use; default the UTC system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The scheduler token fetches and renewals run on; the caller keeps ownership. Default: a
     * daemon thread the client owns.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The randomness of the token renewal's backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** How long a call waits for a token when none is valid; default 30 s. */
    public Builder tokenWait(Duration tokenWait) {
      this.tokenWait = Objects.requireNonNull(tokenWait, "tokenWait");
      return this;
    }

    /** Builds the client. */
    public ProviderClient build() {
      return new ProviderClient(this);
    }
  }
}
