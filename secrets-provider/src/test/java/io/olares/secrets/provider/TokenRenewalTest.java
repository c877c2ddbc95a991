package io.olares.secrets.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.testing.fake.olares.FakeReply;
import io.olares.secrets.testing.fake.olares.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token lifecycle on a clock and scheduler the test drives. */
class TokenRenewalTest {
  private static final ProviderOp RETRIEVE =
      ProviderOp.of("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");

  private FakeTime time;
  private FakeOlares fake;
  private ProviderClient client;

  /** The threads that sent access-token requests. */
  private final List<Thread> accessThreads = new CopyOnWriteArrayList<>();

  /** The waits before repeated requests; nothing sleeps for real. */
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /** Where set, access-token requests count it down and then wait for {@link #accessRelease}. */
  private volatile CountDownLatch accessEntered;

  private final CountDownLatch accessRelease = new CountDownLatch(1);
  private final AtomicBoolean accessReleaseTimedOut = new AtomicBoolean();

  @BeforeEach
  void setUp() {
    time = new FakeTime(Instant.parse("2025-03-01T10:00:00Z"));
    fake = FakeOlares.start("alice", time.clock());
    fake.registerApp("notes", "notes-key", "notes-secret")
        .grantSysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=notes");
    fake.secrets().put("alice", "notes", "prod", "API_KEY", "v");
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (chain.request().url().encodedPath().endsWith("/access")) {
                    accessThreads.add(Thread.currentThread());
                    holdWhileArmed();
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    AppKeyAuth auth =
        AppKeyAuth.builder()
            .appKey("notes-key")
            .appSecret(SecretValue.ofString("notes-secret"))
            .systemServer(fake.systemServerHost())
            .bcryptCost(4)
            .build();
    client =
        ProviderClient.builder()
            .auth(auth)
            .httpClient(http)
            .clock(time.clock())
            .scheduler(time.scheduler())
            .random(new SplittableRandom(7))
            .sleeper(sleeps::add)
            .build();
  }

  @AfterEach
  void tearDown() {
    accessRelease.countDown();
    client.close();
    fake.close();
    time.close();
  }

  private String retrieve() {
    ObjectNode body = new ObjectMapper().createObjectNode().put("name", "API_KEY");
    return client.call(RETRIEVE, body).path("value").asText();
  }

  private void holdWhileArmed() {
    CountDownLatch entered = accessEntered;
    if (entered == null) {
      return;
    }
    entered.countDown();
    try {
      if (!accessRelease.await(30, TimeUnit.SECONDS)) {
        accessReleaseTimedOut.set(true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean onlyTheWorkerFetchedTokens() {
    return accessThreads.stream().allMatch(time::isWorker);
  }

  @Test
  void callsAcrossThreeTokenLifetimesRenewExactlyThreeTimesOffTheCallersThreads() {
    // Tokens live 5 minutes and are renewed 2 minutes before expiry, so each serves 3 minutes:
    // the first from 0:00, the renewed ones from 3:00, 6:00 and 9:00. Calls every 10 s until
    // 11:50 span the service of three tokens after the first and never meet an expired one.
    for (int second = 0; second < 12 * 60; second += 10) {
      assertThat(retrieve()).isEqualTo("v");
      if (second < 12 * 60 - 10) {
        time.advance(Duration.ofSeconds(10));
      }
    }

    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1 + 3);
    assertThat(fake.count("call.401")).isZero();
    assertThat(accessThreads).hasSize(4);
    assertThat(onlyTheWorkerFetchedTokens()).isTrue();
  }

  @Test
  void aTransientFailureOfATokenRequestIsRepeatedWithinTheFetch() {
    fake.failNext("access", 1, FakeReply.text(503, "system-server is restarting"));

    assertThat(retrieve()).isEqualTo("v");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(2);
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1);
    assertThat(sleeps).hasSize(1);
    assertThat(client.lastAuthError()).isEmpty();
    assertThat(onlyTheWorkerFetchedTokens()).isTrue();
  }

  @Test
  void callsWhileARenewalIsInFlightUseTheCurrentTokenWithoutWaitingForIt() throws Exception {
    assertThat(retrieve()).isEqualTo("v");
    CountDownLatch entered = new CountDownLatch(1);
    accessEntered = entered;

    // The renewal falls due at 3:00; its bcrypt token is made and its access request is held
    // on the worker until released, so the renewal stays in progress while the calls below run.
    Thread renewal = new Thread(() -> time.advance(Duration.ofMinutes(3)), "advance-to-renewal");
    renewal.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < 3; i++) {
      assertThat(retrieve()).isEqualTo("v");
    }
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(1);
    assertThat(renewal.isAlive()).as("the renewal is still in progress").isTrue();

    accessRelease.countDown();
    renewal.join(30_000);
    assertThat(accessReleaseTimedOut).isFalse();
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(2);
    assertThat(retrieve()).isEqualTo("v");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(2);
    assertThat(fake.count("call.401")).isZero();
    assertThat(onlyTheWorkerFetchedTokens()).isTrue();
  }

  @Test
  void aFailedRenewalBacksOffAndKeepsServingTheStillValidToken() {
    retrieve();
    // each fetch sends up to three requests (two repeats); two fetches fail
    fake.failNext("access", 6, FakeReply.text(503, "system-server is restarting"));

    time.advance(Duration.ofMinutes(3)); // renewal due: three requests, all refused
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(1 + 3);
    assertThat(client.lastAuthError())
        .get()
        .isInstanceOf(StoreUnavailableException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains("system-server is restarting")
        .contains("HTTP 503")
        .contains("after 3 attempts");
    assertThat(retrieve()).isEqualTo("v");

    time.advance(Duration.ofMillis(499)); // first backoff: between 0.5 and 1 s
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(4);
    time.advance(Duration.ofMillis(501)); // the second fetch fails too
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(4 + 3);
    assertThat(retrieve()).isEqualTo("v");

    time.advance(Duration.ofMillis(999)); // second backoff: between 1 and 2 s
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(7);
    time.advance(Duration.ofMillis(1001)); // the third fetch succeeds at its first request
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(8);
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(2);
    assertThat(client.lastAuthError()).isEmpty();
    assertThat(retrieve()).isEqualTo("v");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(8);
    assertThat(sleeps).hasSize(4);
    assertThat(onlyTheWorkerFetchedTokens()).isTrue();
  }

  @Test
  void aTokenNobodyUsesIsNotRenewedAndTheNextCallFetchesAFreshOne() {
    retrieve();
    time.advance(Duration.ofMinutes(10)); // renewed once at 3:00 (the first token was used)

    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(2);
    assertThat(time.pendingTasks()).isZero();

    assertThat(retrieve()).isEqualTo("v"); // the renewed token expired at 8:00
    assertThat(fake.count(FakeOlares.ACCESS_GRANTED)).isEqualTo(3);
    assertThat(onlyTheWorkerFetchedTokens()).isTrue();
  }

  @Test
  void withoutAValidTokenCallersFailFastDuringTheBackoffWithTheLastError() {
    fake.failNext("access", 1, FakeReply.error(1, "permission required is not allowed"));

    assertThatThrownBy(this::retrieve)
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("permission required is not allowed");
    assertThatThrownBy(this::retrieve)
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("next attempt in");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(1);

    time.advance(Duration.ofSeconds(1));
    assertThat(retrieve()).isEqualTo("v");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(2);
  }

  @Test
  void concurrentCallersWithoutATokenShareOneFetch() throws Exception {
    List<Thread> callers = new CopyOnWriteArrayList<>();
    List<String> values = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> values.add(retrieve()));
      callers.add(t);
    }
    callers.forEach(Thread::start);
    for (Thread t : callers) {
      t.join(30_000);
    }

    assertThat(values).hasSize(8).containsOnly("v");
    assertThat(fake.count(FakeOlares.ACCESS)).isEqualTo(1);
  }
}
