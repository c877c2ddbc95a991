package io.olares.secrets.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.SecretValue;
import io.olares.secrets.provider.AppKeyAuth;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.provider.ProviderOp;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Provider calls (generation 1: app key, bcrypt token, {@code X-Access-Token}) against the
 * in-process {@link FakeOlares}, over loopback HTTP, sampled one by one.
 *
 * <p>{@code callDuringRenewals} runs the fake, the client's clock and its token scheduler {@value
 * #SPEED} times faster than real time, with renewal at half the token's 5-minute life: a renewal (a
 * bcrypt hash at the default cost, then a token request, whose bcrypt check runs on a thread of the
 * fake) starts every 150 s of fake time, 6 s of real time, while calls go on. {@code
 * callSteadyToken} makes the same calls on the real clock, where the token fetched at the start
 * outlives the run: its spread is the noise floor of this machine. Every measured call is also
 * recorded as made during a renewal or outside one (see {@link CallLatencies}), to {@code
 * provider-loopback-*.json} in the directory named by {@value Results#PROPERTY}. The fake's request
 * log, a copy-on-write list, is cleared before each iteration, so that copying it does not grow
 * into the calls' time. One benchmark thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProviderRenewalBenchmark {
  /** How much faster than real time the renewal clock runs. */
  static final int SPEED = 25;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP_SECRET = "bench-app-secret";
  private static final ProviderOp RETRIEVE =
      ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");

  /** A fake Olares and a client sharing one clock. */
  public abstract static class Subject {
    FakeOlares fake;
    ProviderClient client;
    ObjectNode body;
    TokenScheduler scheduler;
    CallLatencies calls;
    OkHttpClient http;
    private long accessTokensGranted;
    private long startNanos;

    void open(Clock clock, TokenScheduler scheduler, Duration renewBefore) {
      this.scheduler = scheduler;
      calls = new CallLatencies(scheduler);
      fake = FakeOlares.start("alice", clock);
      fake.registerApp("notes", "notes-key", APP_SECRET)
          .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");
      fake.secrets().put("alice", "notes", "prod", "API_KEY", "bench-value-0123456789");
      http =
          new OkHttpClient.Builder()
              .addInterceptor(calls.arrivalMark())
              .connectTimeout(ProviderClient.DEFAULT_HTTP_TIMEOUT)
              .readTimeout(ProviderClient.DEFAULT_HTTP_TIMEOUT)
              .writeTimeout(ProviderClient.DEFAULT_HTTP_TIMEOUT)
              .followRedirects(false)
              .build();
      try (SecretValue secret = SecretValue.ofString(APP_SECRET)) {
        AppKeyAuth auth =
            AppKeyAuth.builder()
                .appKey("notes-key")
                .appSecret(secret)
                .systemServer(fake.systemServerHost())
                .renewBefore(renewBefore)
                .build();
        client =
            ProviderClient.builder()
                .auth(auth)
                .httpClient(http)
                .clock(clock)
                .scheduler(scheduler)
                .build();
      }
      body = JSON.createObjectNode();
      body.put("name", "API_KEY");
      body.put("env", "prod");
      client.call(RETRIEVE, body);
      startNanos = System.nanoTime();
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
      accessTokensGranted += fake.count(FakeOlares.ACCESS_GRANTED);
      fake.resetCounts();
      calls.startIteration(params.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Iteration)
    public void iterationEnd() {
      calls.endIteration();
    }

    /**
     * Writes the recorded calls, how many access tokens the fake granted during the trial (so the
     * report can show that renewals happened) and the clock's speed to {@code name}.
     */
    void report(String name, int speed) throws IOException {
      ObjectNode extra = JSON.createObjectNode();
      extra.put("accessTokensGranted", accessTokensGranted + fake.count(FakeOlares.ACCESS_GRANTED));
      extra.put("trialSeconds", Duration.ofNanos(System.nanoTime() - startNanos).toSeconds());
      extra.put("clockSpeed", speed);
      calls.write(name, extra);
    }

    @TearDown(Level.Trial)
    public void close() {
      client.close();
      fake.close();
      scheduler.shutdownNow();
      http.connectionPool().evictAll();
    }
  }

  /** Tokens renewed every 6 s of real time. */
  @State(Scope.Benchmark)
  public static class Renewing extends Subject {
    @Setup(Level.Trial)
    public void setUp() {
      open(new FastClock(SPEED), new TokenScheduler(SPEED), FakeOlares.TOKEN_LIFETIME.dividedBy(2));
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
      report("provider-loopback-renewing.json", SPEED);
    }
  }

  /** One token for the whole run. */
  @State(Scope.Benchmark)
  public static class Steady extends Subject {
    @Setup(Level.Trial)
    public void setUp() {
      open(Clock.systemUTC(), new TokenScheduler(1), AppKeyAuth.DEFAULT_RENEW_BEFORE);
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
      report("provider-loopback-steady.json", 1);
    }
  }

  @Benchmark
  public JsonNode callDuringRenewals(Renewing s) {
    s.calls.begin();
    JsonNode reply = s.client.call(RETRIEVE, s.body);
    s.calls.end();
    return reply;
  }

  @Benchmark
  public JsonNode callSteadyToken(Steady s) {
    s.calls.begin();
    JsonNode reply = s.client.call(RETRIEVE, s.body);
    s.calls.end();
    return reply;
  }

  /** Real time since creation, multiplied; starts at the current wall-clock instant. */
  static final class FastClock extends Clock {
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final int speed;

    FastClock(int speed) {
      this.speed = speed;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the benchmark clock is UTC only");
    }

    @Override
    public Instant instant() {
      return start.plusNanos((System.nanoTime() - startNanos) * speed);
    }
  }
}
