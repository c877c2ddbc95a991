package io.olares.secrets.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.infisical.InfisicalAuth;
import io.olares.secrets.infisical.InfisicalOptions;
import io.olares.secrets.infisical.InfisicalStore;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.RecordedCall;
import io.olares.secrets.testing.fake.infisical.Route;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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
 * A secret read through the {@code infisical} store with no cache (the store itself never caches;
 * the facade's cache is the one that can be turned off) beside a raw OkHttp GET of the very URL the
 * store requested, with the same access token, against the same in-process Infisical fake. Every
 * call is timed. Target: the store costs at most 1.15 × the raw GET. A third subject adds to the
 * raw GET the least a client must do with the answer (parse the JSON, take the value), to show
 * where the store's extra time goes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class InfisicalReadBenchmark {
  private static final String PROJECT = "6f2c0f6a-1a2b-4c3d-9e8f-0123456789ab";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AccessContext READ = AccessContext.of("shop-app", Operation.READ);

  private InfisicalFake fake;
  private InfisicalStore store;
  private SecretRef ref;
  private OkHttpClient http;
  private OkHttpClient httpWithCallTimeout;
  private Request raw;

  @Setup(Level.Trial)
  public void setUp() {
    fake =
        InfisicalFake.builder()
            .project(PROJECT, "shop")
            .environments(PROJECT, "prod")
            .universalAuth("bench-client", "bench-secret")
            .start();
    fake.putSecret(PROJECT, "prod", "/", "DB_PASSWORD", "s3cr3t-0123456789abcdef");
    try (SecretValue clientSecret = SecretValue.ofString("bench-secret")) {
      store =
          InfisicalStore.open(
              "infisical",
              InfisicalOptions.builder(
                      fake.url(), InfisicalAuth.universal("bench-client", clientSecret))
                  .build(),
              StoreContext.system("shop-app"));
    }
    ref = SecretRef.parse("infisical://" + PROJECT + "/prod/DB_PASSWORD");
    storeRead();
    RecordedCall read = lastSecretRead(fake.recordedCalls());
    HttpUrl.Builder url = HttpUrl.get(fake.url()).newBuilder().encodedPath("/");
    for (String segment : read.path().substring(1).split("/", -1)) {
      url.addPathSegment(segment);
    }
    for (Map.Entry<String, String> q : read.query().entrySet()) {
      url.addQueryParameter(q.getKey(), q.getValue());
    }
    http = new OkHttpClient();
    InfisicalOptions defaults =
        InfisicalOptions.builder(
                fake.url(), InfisicalAuth.universal("bench-client", SecretValue.ofString("unused")))
            .build();
    httpWithCallTimeout =
        http.newBuilder()
            .connectTimeout(defaults.connectTimeout())
            .readTimeout(defaults.readTimeout())
            .writeTimeout(defaults.readTimeout())
            .callTimeout(defaults.callTimeout())
            .build();
    raw =
        new Request.Builder()
            .url(url.build())
            .header("Authorization", read.authorization())
            .build();
    rawOkHttpGet();
    rawOkHttpGetWithCallTimeout();
  }

  private static RecordedCall lastSecretRead(List<RecordedCall> calls) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      Route route = calls.get(i).route();
      if (route.isSecretRead() && calls.get(i).method().equals("GET")) {
        return calls.get(i);
      }
    }
    throw new IllegalStateException("the store made no secret read: " + calls);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    fake.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Benchmark
  public int storeRead() {
    Optional<Secret> found = store.read(ref, READ);
    try (Secret s = found.orElseThrow()) {
      return s.value().length();
    }
  }

  /** The raw GET plus what any client must do with the answer: parse it and take the value. */
  @Benchmark
  public String rawOkHttpGetAndParse() throws IOException {
    return JSON.readTree(rawOkHttpGet()).path("secret").path("secretValue").asText();
  }

  @Benchmark
  public byte[] rawOkHttpGet() {
    return get(http);
  }

  /**
   * The raw GET on a client with the store's default timeouts, the call timeout included: OkHttp
   * enforces a call timeout with its watchdog thread, which each call schedules and wakes.
   */
  @Benchmark
  public byte[] rawOkHttpGetWithCallTimeout() {
    return get(httpWithCallTimeout);
  }

  private byte[] get(OkHttpClient client) {
    try (Response response = client.newCall(raw).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("the raw GET answered HTTP " + response.code());
      }
      return response.body().bytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
