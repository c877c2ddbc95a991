package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.Route;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** On the real clock, the token is renewed by the store's own thread with no caller involved. */
class BackgroundRenewalTest {
  private static final String PROJECT = "7c0f5e2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";

  @Test
  void theTokenIsRenewedInTheBackgroundBeforeItExpires() throws Exception {
    try (InfisicalFake fake =
        InfisicalFake.builder()
            .project(PROJECT, "bg")
            .environments(PROJECT, "dev")
            .universalAuth("bg-client", "bg-secret", Duration.ofSeconds(2), Duration.ofHours(1))
            .start()) {
      InfisicalOptions options =
          InfisicalOptions.builder(
                  fake.url(),
                  InfisicalAuth.universal("bg-client", SecretValue.ofString("bg-secret")))
              .build();
      try (InfisicalStore store = InfisicalStore.open("bg", options, StoreContext.system("app"))) {
        store.list(SecretRef.parsePrefix("bg://bg/dev"), AccessContext.of("app", Operation.LIST));

        await(() -> fake.requests(Route.TOKEN_RENEW) >= 2, 15);

        assertThat(fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(1);
        assertThat(fake.liveTokens()).isEqualTo(1);
        store.list(SecretRef.parsePrefix("bg://bg/dev"), AccessContext.of("app", Operation.LIST));
        assertThat(fake.requests(Route.UNIVERSAL_AUTH_LOGIN)).isEqualTo(1);
      }
      assertThat(fake.requests(Route.TOKEN_REVOKE)).isEqualTo(1);
    }
  }

  private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
