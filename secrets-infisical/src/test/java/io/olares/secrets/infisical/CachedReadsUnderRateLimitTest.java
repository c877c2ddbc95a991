package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A read-heavy app stays inside the server's rate limit because reads go through the facade's
 * cache: 10,000 reads of 10 secrets from 8 threads reach Infisical at most 20 times, with no
 * failure, while the fake enforces the real server's 40 reads a minute (500 with Retry-After).
 */
class CachedReadsUnderRateLimitTest {
  private static final String PROJECT = "5e0c7a1d-2f3b-4c5d-8e9f-a0b1c2d3e4f5";
  private static final int SECRETS = 10;
  private static final int THREADS = 8;
  private static final int READS = 10_000;

  @Test
  void tenThousandCachedReadsCostAtMostTwentyUpstreamReads() throws Exception {
    try (InfisicalFake fake =
        InfisicalFake.builder()
            .project(PROJECT, "shop")
            .environments(PROJECT, "prod")
            .universalAuth("cache-client", "cache-secret")
            .readRateLimit(40, Duration.ofMinutes(1))
            .start()) {
      for (int i = 0; i < SECRETS; i++) {
        fake.putSecret(PROJECT, "prod", "/", "KEY_" + i, "value-" + i);
      }
      InfisicalStore store =
          InfisicalStore.open(
              "infisical",
              InfisicalOptions.builder(
                      fake.url(),
                      InfisicalAuth.universal("cache-client", SecretValue.ofString("cache-secret")))
                  .build(),
              StoreContext.system("shop-app"));
      PolicyConfig policy =
          PolicyConfig.empty()
              .withApp("shop-app")
              .withGrants(
                  List.of(
                      new Grant.RefGrant(
                          null, "infisical://shop/prod/**", Set.of(Operation.READ))));
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger reads = new AtomicInteger();
      try (Secrets secrets =
          Secrets.builder()
              .app("shop-app")
              .discovery(false)
              .store(store)
              .policy(new DefaultPolicy(policy))
              .cache(
                  new CacheOptions(
                      Duration.ofMinutes(5),
                      Duration.ofSeconds(30),
                      Duration.ofHours(1),
                      Duration.ofSeconds(5),
                      10_000))
              .audit(event -> {})
              .build()) {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(
                pool.submit(
                    () -> {
                      start.await(10, TimeUnit.SECONDS);
                      for (int i = thread; i < READS; i += THREADS) {
                        int key = i % SECRETS;
                        try (Secret s = secrets.get("infisical://shop/prod/KEY_" + key)) {
                          if (!s.value().equalsConstantTime(("value-" + key).getBytes())) {
                            failures.incrementAndGet();
                          }
                        } catch (RuntimeException e) {
                          failures.incrementAndGet();
                        }
                        reads.incrementAndGet();
                      }
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
          }
        } finally {
          pool.shutdownNow();
        }
      }

      assertThat(reads.get()).isEqualTo(READS);
      assertThat(failures.get()).isZero();
      assertThat(fake.requests(Route.GET_SECRET)).isBetween(SECRETS, 20);
    }
  }

  @Test
  void withoutTheCacheTheSameAppRunsIntoTheLimitAndStopsCallingAtOnce() {
    try (InfisicalFake fake =
        InfisicalFake.builder()
            .project(PROJECT, "shop")
            .environments(PROJECT, "prod")
            .universalAuth("cache-client", "cache-secret")
            .readRateLimit(40, Duration.ofMinutes(1))
            .start()) {
      fake.putSecret(PROJECT, "prod", "/", "KEY_0", "value-0");
      InfisicalStore store =
          InfisicalStore.open(
              "infisical",
              InfisicalOptions.builder(
                      fake.url(),
                      InfisicalAuth.universal("cache-client", SecretValue.ofString("cache-secret")))
                  .build(),
              StoreContext.system("shop-app"));
      int failed = 0;
      try (Secrets secrets =
          Secrets.builder()
              .app("shop-app")
              .discovery(false)
              .store(store)
              .policy(request -> io.olares.secrets.policy.Decision.allow("test"))
              .cache(CacheOptions.DISABLED)
              .audit(event -> {})
              .build()) {
        for (int i = 0; i < 100; i++) {
          try (Secret s = secrets.get("infisical://shop/prod/KEY_0")) {
            assertThat(s.value().length()).isPositive();
          } catch (io.olares.secrets.StoreUnavailableException e) {
            failed++;
          }
        }
      }
      assertThat(failed).isEqualTo(60);
      assertThat(fake.requests(Route.GET_SECRET)).isEqualTo(41);
    }
  }
}
