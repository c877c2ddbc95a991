package io.olares.secrets.infisical;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** A fake Infisical server on a manual clock, and stores pointed at it. */
final class Fixture implements AutoCloseable {
  static final String PROJECT = "3a4f6b3e-8a57-4f0e-9a55-0c2f5f1d2b71";
  static final String SLUG = "shop";
  static final String CLIENT_ID = "client-1";
  static final String CLIENT_SECRET = "client-secret-1";
  static final AccessContext READ = AccessContext.of("myapp", Operation.READ);
  static final AccessContext WRITE = AccessContext.of("myapp", Operation.WRITE);

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T12:00:00Z"));
  final Sleeps sleeps = new Sleeps(clock);
  final InfisicalFake fake;
  private final List<InfisicalStore> stores = new ArrayList<>();

  /** Records every wait and moves the manual clock instead of sleeping. */
  static final class Sleeps implements RetryPolicy.Sleeper {
    private final ManualClock clock;
    private final List<Duration> waits = new ArrayList<>();

    Sleeps(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration) {
      waits.add(duration);
      clock.advance(duration);
    }

    synchronized List<Duration> waits() {
      return List.copyOf(waits);
    }
  }

  Fixture() {
    this(b -> {});
  }

  Fixture(Consumer<InfisicalFake.Builder> tweak) {
    InfisicalFake.Builder b =
        InfisicalFake.builder()
            .clock(clock)
            .project(PROJECT, SLUG)
            .environments(PROJECT, "dev", "prod")
            .universalAuth(CLIENT_ID, CLIENT_SECRET, Duration.ofHours(1), Duration.ofDays(1));
    tweak.accept(b);
    fake = b.start();
  }

  /** Options for universal auth against the fake: manual clock, no background thread. */
  InfisicalOptions.Builder options() {
    return InfisicalOptions.builder(
            fake.url(),
            InfisicalAuth.universal(
                CLIENT_ID, io.olares.secrets.SecretValue.ofString(CLIENT_SECRET)))
        .backgroundRenewal(false)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .callTimeout(Duration.ofSeconds(5))
        .sleeper(sleeps)
        .random(new SplittableRandom(7));
  }

  InfisicalStore store() {
    return store(options().build());
  }

  InfisicalStore store(InfisicalOptions options) {
    return store(options, clock);
  }

  /** A store on its own clock (the fake keeps the manual one). */
  InfisicalStore store(InfisicalOptions options, java.time.Clock storeClock) {
    InfisicalStore s =
        InfisicalStore.open(
            "infisical",
            options,
            new StoreContext("myapp", "alice", storeClock, name -> null, Path.of("target")));
    stores.add(s);
    return s;
  }

  static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  @Override
  public void close() {
    stores.forEach(InfisicalStore::close);
    fake.close();
  }
}
