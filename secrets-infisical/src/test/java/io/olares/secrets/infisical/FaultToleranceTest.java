package io.olares.secrets.infisical;

import static io.olares.secrets.infisical.Fixture.PROJECT;
import static io.olares.secrets.infisical.Fixture.READ;
import static io.olares.secrets.infisical.Fixture.WRITE;
import static io.olares.secrets.infisical.Fixture.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.testing.fake.infisical.Fault;
import io.olares.secrets.testing.fake.infisical.RecordedCall;
import io.olares.secrets.testing.fake.infisical.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each fault ends in the documented behaviour after a bounded, asserted number of requests. */
class FaultToleranceTest {
  private static final SecretRef DB = ref("infisical://" + PROJECT + "/dev/DB_PASSWORD");

  private Fixture fx;
  private InfisicalStore store;

  @BeforeEach
  void start() {
    fx = new Fixture();
    fx.fake.putSecret(PROJECT, "dev", "/", "DB_PASSWORD", "hunter2-canary");
    store = fx.store();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private String read(InfisicalStore s) {
    try (Secret secret = s.read(DB, READ).orElseThrow()) {
      return secret.value().revealString();
    }
  }

  @Test
  void aReadWhoseAnswerIsCutOffMidBodyIsRepeatedOnce() {
    fx.fake.inject(Route.GET_SECRET, Fault.resetMidBody());

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
  }

  @Test
  void aCreateWhoseAnswerIsCutOffIsNotRepeatedAndSaysTheOutcomeIsUnknown() {
    fx.fake.inject(Route.CREATE_SECRET, Fault.resetMidBody());

    assertThatThrownBy(
            () -> store.write(ref("infisical://shop/dev/NEW"), SecretValue.ofString("n"), WRITE))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("may have been applied");
    assertThat(fx.fake.requests(Route.CREATE_SECRET)).isEqualTo(1);
    assertThat(fx.fake.secretValue(PROJECT, "dev", "/", "NEW")).contains("n");
  }

  @Test
  void aReadTimeoutIsRetriedUntilTheBudgetIsSpent() {
    InfisicalStore s =
        fx.store(
            fx.options()
                .readTimeout(Duration.ofMillis(300))
                .retry(
                    new RetryPolicy(
                        3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .build());
    fx.fake.inject(Route.GET_SECRET, Fault.stall(), 3);

    assertThatThrownBy(() -> read(s))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("after 3 attempts")
        .hasMessageNotContaining("hunter2");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(3);
    assertThat(fx.sleeps.waits())
        .hasSize(2)
        .allMatch(d -> d.compareTo(Duration.ofMillis(200)) <= 0);
  }

  @Test
  void aReadTimeoutFollowedByAnAnswerSucceeds() {
    InfisicalStore s = fx.store(fx.options().readTimeout(Duration.ofMillis(300)).build());
    fx.fake.inject(Route.GET_SECRET, Fault.stall());

    assertThat(read(s)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
  }

  @Test
  void aSlowBodyThatKeepsFlowingIsReadInOneRequest() {
    fx.fake.inject(Route.GET_SECRET, Fault.slowBody(128, Duration.ofMillis(20)));

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(1);
  }

  @Test
  void aBodySlowerThanTheCallTimeoutFailsAfterTheBudget() {
    InfisicalStore s =
        fx.store(
            fx.options()
                .callTimeout(Duration.ofMillis(300))
                .retry(
                    new RetryPolicy(
                        2, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .build());
    fx.fake.inject(Route.GET_SECRET, Fault.slowBody(8, Duration.ofMillis(50)), 2);

    assertThatThrownBy(() -> read(s)).isInstanceOf(StoreUnavailableException.class);
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503, 429, 418})
  void retryAfterIsHonouredWhateverTheStatus(int status) {
    fx.fake.inject(Route.GET_SECRET, Fault.status(status, 2));

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
    assertThat(fx.sleeps.waits()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void theRealServersRateLimitAnswerClosesTheHostWithoutFurtherRequests() {
    try (Fixture limited = new Fixture(b -> b.readRateLimit(40, Duration.ofMinutes(1)))) {
      limited.fake.putSecret(PROJECT, "dev", "/", "DB_PASSWORD", "hunter2-canary");
      InfisicalStore s = limited.store();
      for (int i = 0; i < 40; i++) {
        read(s);
      }

      assertThatThrownBy(() -> read(s))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("Retry-After 60");
      assertThatThrownBy(() -> read(s))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("backing off");
      assertThat(limited.fake.requests(Route.GET_SECRET)).isEqualTo(41);

      limited.clock.advance(Duration.ofSeconds(60));
      assertThat(read(s)).isEqualTo("hunter2-canary");
      assertThat(limited.fake.requests(Route.GET_SECRET)).isEqualTo(42);
    }
  }

  @Test
  void aClientAllowedToWaitAMinuteSitsOutTheRateLimit() {
    try (Fixture limited = new Fixture(b -> b.readRateLimit(40, Duration.ofMinutes(1)))) {
      limited.fake.putSecret(PROJECT, "dev", "/", "DB_PASSWORD", "hunter2-canary");
      InfisicalStore s =
          limited.store(
              limited
                  .options()
                  .retry(
                      new RetryPolicy(
                          4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(2)))
                  .build());
      for (int i = 0; i < 41; i++) {
        read(s);
      }

      assertThat(limited.fake.requests(Route.GET_SECRET)).isEqualTo(42);
      assertThat(limited.sleeps.waits()).containsExactly(Duration.ofSeconds(60));
    }
  }

  @Test
  void a429WithoutRetryAfterBacksOffWithJitterAndRepeatsEvenACreate() {
    fx.fake.inject(Route.GET_SECRET, Fault.status(429));
    fx.fake.inject(Route.CREATE_SECRET, Fault.status(429));

    assertThat(read(store)).isEqualTo("hunter2-canary");
    store.write(ref("infisical://shop/dev/NEW"), SecretValue.ofString("n"), WRITE);

    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
    assertThat(fx.fake.requests(Route.CREATE_SECRET)).isEqualTo(2);
    assertThat(fx.sleeps.waits()).allMatch(d -> d.compareTo(Duration.ofMillis(200)) <= 0);
  }

  @Test
  void aServerErrorRepeatsAReadButNotAWrite() {
    fx.fake.inject(Route.GET_SECRET, Fault.status(500));
    fx.fake.inject(Route.CREATE_SECRET, Fault.status(500));

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThatThrownBy(
            () -> store.write(ref("infisical://shop/dev/NEW"), SecretValue.ofString("n"), WRITE))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("500");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
    assertThat(fx.fake.requests(Route.CREATE_SECRET)).isEqualTo(1);
  }

  @Test
  void aPersistentServerErrorStopsAtTheAttemptBudget() {
    fx.fake.inject(Route.GET_SECRET, Fault.status(503), 10);

    assertThatThrownBy(() -> read(store))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("after 4 attempts");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(4);
    assertThat(fx.sleeps.waits()).hasSize(3);
  }

  @Test
  void malformedJsonIsRetriedThenReportedWithoutTheValue() {
    fx.fake.inject(Route.GET_SECRET, Fault.malformedJson());
    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);

    fx.fake.inject(Route.GET_SECRET, Fault.malformedJson(), 4);
    assertThatThrownBy(() -> read(store))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("hunter2");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(6);
  }

  @Test
  void a401AfterARenewalLogsInAgainInsteadOfFailing() {
    read(store);
    fx.clock.advance(Duration.ofMinutes(41));
    fx.fake.inject(Route.TOKEN_RENEW, Fault.revokeOnRenew());
    store.tokens().maintain();
    assertThat(fx.fake.requests(Route.TOKEN_RENEW)).isEqualTo(1);

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(2);
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(3);
  }

  @Test
  void tokensAreRenewedAtTwoThirdsOfTheirLifeAndReplacedWhenTheMaxTtlIsNear() {
    try (Fixture f =
        new Fixture(
            b ->
                b.universalAuth(
                    "ttl-client", "ttl-secret", Duration.ofMinutes(60), Duration.ofMinutes(150)))) {
      InfisicalStore s =
          f.store(
              InfisicalOptions.builder(
                      f.fake.url(),
                      InfisicalAuth.universal("ttl-client", SecretValue.ofString("ttl-secret")))
                  .backgroundRenewal(false)
                  .sleeper(f.sleeps)
                  .build());
      assertThat(s.list(SecretRef.parsePrefix("infisical://shop/dev"), READ)).isEmpty();
      assertThat(s.tokens().renewAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(40)));

      f.clock.advance(Duration.ofMinutes(39));
      s.tokens().maintain();
      assertThat(f.fake.requests(Route.TOKEN_RENEW)).isZero();

      f.clock.advance(Duration.ofMinutes(1));
      s.tokens().maintain();
      f.clock.advance(Duration.ofMinutes(40));
      s.tokens().maintain();
      assertThat(f.fake.requests(Route.TOKEN_RENEW)).isEqualTo(2);
      assertThat(f.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(1);

      f.clock.advance(Duration.ofMinutes(40));
      s.tokens().maintain();
      assertThat(f.fake.requests(Route.TOKEN_RENEW)).isEqualTo(2);
      assertThat(f.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(2);
      assertThat(s.list(SecretRef.parsePrefix("infisical://shop/dev"), READ)).isEmpty();
      assertThat(f.fake.liveTokens()).isEqualTo(2);
    }
  }

  @Test
  void aRefusedRenewalFallsBackToALogin() {
    read(store);
    fx.fake.revokeAllTokens();
    fx.clock.advance(Duration.ofMinutes(40));

    store.tokens().maintain();

    assertThat(fx.fake.requests(Route.TOKEN_RENEW)).isEqualTo(1);
    assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(2);
    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
  }

  @Test
  void tokenExpiryDuringABurstOfParallelReadsCausesOneLogin() throws Exception {
    read(store);
    fx.fake.expireAllTokens();
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return read(store);
                }));
      }
      for (Future<String> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("hunter2-canary");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(2);
    assertThat(fx.fake.requests(Route.GET_SECRET)).isBetween(1 + threads, 1 + 2 * threads);
  }

  @Test
  void aRejectedFixedTokenIsFinalAndNeverTriggersALogin() {
    InfisicalStore s =
        fx.store(
            InfisicalOptions.builder(
                    fx.fake.url(), InfisicalAuth.accessToken(SecretValue.ofString("abc.def.ghi")))
                .sleeper(fx.sleeps)
                .build());

    assertThatThrownBy(() -> read(s))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("403 TokenError: invalid token")
        .hasMessageNotContaining("abc.def.ghi");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(1);
    assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isZero();
  }

  @Test
  void wrongCredentialsAreRefusedOnceWithoutRetries() {
    InfisicalStore s =
        fx.store(
            InfisicalOptions.builder(
                    fx.fake.url(),
                    InfisicalAuth.universal(
                        Fixture.CLIENT_ID, SecretValue.ofString("wrong-secret")))
                .sleeper(fx.sleeps)
                .build());

    assertThatThrownBy(() -> read(s))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("Invalid credentials")
        .hasMessageContaining(Fixture.CLIENT_ID)
        .hasMessageNotContaining("wrong-secret");
    assertThat(fx.fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(1);
    assertThat(fx.fake.requests(Route.GET_SECRET)).isZero();
  }

  @Test
  void oneHostsBackoffHoldsForEveryStoreAndThreadUsingIt() {
    InfisicalStore impatient =
        fx.store(
            fx.options()
                .retry(
                    new RetryPolicy(
                        4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ZERO))
                .build());
    fx.fake.inject(Route.GET_SECRET, Fault.rateLimited(5));

    assertThatThrownBy(() -> read(impatient)).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> read(fx.store(fx.options().retry(RetryPolicy.NONE).build())))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("backing off for another 5 s");
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(1);

    assertThat(read(store)).isEqualTo("hunter2-canary");
    assertThat(fx.sleeps.waits()).containsExactly(Duration.ofSeconds(5));
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(2);
  }

  @Test
  void threadsWaitingOnAThrottledHostSendOneProbePerWindow() throws Exception {
    InfisicalOptions patient =
        fx.options()
            .sleeper(RetryPolicy.Sleeper.SYSTEM)
            .retry(
                new RetryPolicy(
                    4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5)))
            .build();
    InfisicalStore s = fx.store(patient, Clock.systemUTC());
    InfisicalStore closer =
        fx.store(
            fx.options().sleeper(RetryPolicy.Sleeper.SYSTEM).retry(RetryPolicy.NONE).build(),
            Clock.systemUTC());
    read(s);
    read(closer);
    fx.fake.inject(Route.GET_SECRET, Fault.rateLimited(1), 3);
    assertThatThrownBy(() -> read(closer)).isInstanceOf(StoreUnavailableException.class);

    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> read(s)));
      }
      for (Future<String> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("hunter2-canary");
      }
    } finally {
      pool.shutdownNow();
    }
    // 2 warm-up reads, 1 that closed the host, 2 throttled probes, then 8 reads that succeed
    assertThat(fx.fake.requests(Route.GET_SECRET)).isEqualTo(13);
    long[] at =
        fx.fake.recordedCalls().stream()
            .filter(c -> c.route() == Route.GET_SECRET)
            .mapToLong(RecordedCall::receivedNanos)
            .toArray();
    long window = TimeUnit.MILLISECONDS.toNanos(900);
    // while the host recovers, requests go one per window: probe, probe, successful probe
    assertThat(at[3] - at[2]).isGreaterThanOrEqualTo(window);
    assertThat(at[4] - at[3]).isGreaterThanOrEqualTo(window);
    assertThat(at[5] - at[4]).isGreaterThanOrEqualTo(window);
    for (int i = 6; i < at.length; i++) {
      assertThat(at[i]).isGreaterThanOrEqualTo(at[5]);
    }
  }
}
