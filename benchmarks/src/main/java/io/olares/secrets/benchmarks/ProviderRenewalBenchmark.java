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
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Provider calls (generation 1: app key, bcrypt token, {@code X-Access-Token}) against the
 * in-process {@link FakeOlares}, sampled one by one.
 *
 * <p>{@code callDuringRenewals} runs the fake, the client's clock and its token scheduler {@value
 * #SPEED} times faster than real time, with renewal at half the token's 5-minute life: a renewal (a
 * bcrypt hash at the default cost, then a token request) starts every 150 s of fake time, 6 s of
 * real time, while calls go on. {@code callSteadyToken} makes the same calls on the real clock,
 * where the token fetched at the start outlives the run: its spread is the noise floor of this
 * machine. The target is p99 ≤ 1.2 × p50 during renewals: no call waits for bcrypt.
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

    ScheduledExecutorService scheduler;

    void open(Clock clock, ScheduledExecutorService scheduler, Duration renewBefore) {
      this.scheduler = scheduler;
      fake = FakeOlares.start("alice", clock);
      fake.registerApp("notes", "notes-key", APP_SECRET)
          .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");
      fake.secrets().put("alice", "notes", "prod", "API_KEY", "bench-value-0123456789");
      try (SecretValue secret = SecretValue.ofString(APP_SECRET)) {
        AppKeyAuth auth =
            AppKeyAuth.builder()
                .appKey("notes-key")
                .appSecret(secret)
                .systemServer(fake.systemServerHost())
                .renewBefore(renewBefore)
                .build();
        client = ProviderClient.builder().auth(auth).clock(clock).scheduler(scheduler).build();
      }
      body = JSON.createObjectNode();
      body.put("name", "API_KEY");
      body.put("env", "prod");
      client.call(RETRIEVE, body);
    }

    @TearDown(Level.Trial)
    public void close() {
      client.close();
      fake.close();
      scheduler.shutdownNow();
    }
  }

  /** Tokens renewed about once per real second. */
  @State(Scope.Benchmark)
  public static class Renewing extends Subject {
    @Setup(Level.Trial)
    public void setUp() {
      open(new FastClock(SPEED), new FastScheduler(SPEED), FakeOlares.TOKEN_LIFETIME.dividedBy(2));
    }

    private long startNanos;

    @Setup(Level.Trial)
    public void markStart() {
      startNanos = System.nanoTime();
    }

    /**
     * Writes how many access tokens the fake granted during the trial, so the report can show that
     * renewals happened, to {@code provider-renewals.json} in the directory named by the system
     * property {@value Results#PROPERTY}.
     */
    @TearDown(Level.Trial)
    public void report() throws IOException {
      long seconds = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
      Results.write(
          "provider-renewals.json",
          "{\"accessTokensGranted\": "
              + fake.count(FakeOlares.ACCESS_GRANTED)
              + ", \"trialSeconds\": "
              + seconds
              + ", \"clockSpeed\": "
              + SPEED
              + "}");
    }
  }

  /** One token for the whole run. */
  @State(Scope.Benchmark)
  public static class Steady extends Subject {
    @Setup(Level.Trial)
    public void setUp() {
      open(Clock.systemUTC(), new FastScheduler(1), AppKeyAuth.DEFAULT_RENEW_BEFORE);
    }
  }

  @Benchmark
  public JsonNode callDuringRenewals(Renewing s) {
    return s.client.call(RETRIEVE, s.body);
  }

  @Benchmark
  public JsonNode callSteadyToken(Steady s) {
    return s.client.call(RETRIEVE, s.body);
  }

  /**
   * A scheduler on the same time scale as {@link FastClock}: a delay of {@code d} clock time runs
   * after {@code d / speed} of real time. One daemon thread.
   */
  static final class FastScheduler extends ScheduledThreadPoolExecutor {
    private final int speed;

    FastScheduler(int speed) {
      super(
          1,
          r -> {
            Thread t = new Thread(r, "bench-token-scheduler");
            t.setDaemon(true);
            return t;
          });
      this.speed = speed;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return super.schedule(command, unit.toNanos(delay) / speed, TimeUnit.NANOSECONDS);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return super.schedule(callable, unit.toNanos(delay) / speed, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      return super.scheduleAtFixedRate(
          command,
          unit.toNanos(initialDelay) / speed,
          Math.max(1, unit.toNanos(period) / speed),
          TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return super.scheduleWithFixedDelay(
          command,
          unit.toNanos(initialDelay) / speed,
          Math.max(1, unit.toNanos(delay) / speed),
          TimeUnit.NANOSECONDS);
    }
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
