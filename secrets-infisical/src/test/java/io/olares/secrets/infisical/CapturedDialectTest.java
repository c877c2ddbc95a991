package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.fake.infisical.Captures;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.infisical.ManualClock;
import io.olares.secrets.testing.fake.infisical.RecordedCall;
import io.olares.secrets.testing.fake.infisical.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store sends what the real server was captured receiving: same methods, paths, query
 * parameters and JSON bodies, byte for byte where the capture has the same inputs.
 */
class CapturedDialectTest {
  private static final String PROJECT = "9370adb1-00b0-4064-8caf-4d5bdc79830a";
  private static final AccessContext CTX = AccessContext.of("myapp", Operation.READ);

  private static Captures captures;

  @BeforeAll
  static void load() {
    String dir = System.getProperty("olares.shared.testdata");
    Path file = dir == null ? null : Captures.file(Path.of(dir));
    Assumptions.assumeTrue(
        file != null && Files.isRegularFile(file),
        "shared test data with infisical/captures.json is absent; set olares.shared.testdata");
    captures = Captures.load(file);
  }

  @Test
  void everyRequestTheStoreMakesHasTheCapturedShape() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-04T16:00:30Z"));
    try (InfisicalFake fake =
        InfisicalFake.builder()
            .clock(clock)
            .tokens(() -> "<access-token>")
            .project(PROJECT, "sdk-test")
            .environments(PROJECT, "dev")
            .universalAuth(
                "<client-id>", "<client-secret>", Duration.ofDays(1), Duration.ofDays(30))
            .start()) {
      InfisicalStore store =
          InfisicalStore.open(
              "infisical",
              InfisicalOptions.builder(
                      fake.url(),
                      InfisicalAuth.universal(
                          "<client-id>", SecretValue.ofString("<client-secret>")))
                  .backgroundRenewal(false)
                  .build(),
              new StoreContext("myapp", null, clock, n -> null, Path.of("target")));
      SecretRef db = SecretRef.parse("infisical://" + PROJECT + "/dev/DB_PASSWORD");
      SecretRef stripe = SecretRef.parse("infisical://" + PROJECT + "/dev/payments/STRIPE_KEY");

      store.write(db, SecretValue.ofString("s3cr3t-é✓"), CTX);
      assertBody(fake, Route.UNIVERSAL_AUTH_LOGIN, "login");
      assertBody(fake, Route.CREATE_SECRET, "create");

      store.write(db, SecretValue.ofString("rotated-2"), CTX);
      assertBody(fake, Route.UPDATE_SECRET, "update");

      try (Secret s = store.read(db, CTX).orElseThrow()) {
        assertQuery(fake, Route.GET_SECRET, "get", false);
      }
      try (Secret s = store.read(db.withVersion("1"), CTX).orElseThrow()) {
        assertQuery(fake, Route.GET_SECRET, "get_v1", true);
      }

      store.write(stripe, SecretValue.ofString("sk_test_1"), CTX);
      assertBody(fake, Route.CREATE_FOLDER, "folder");
      assertBody(fake, Route.CREATE_SECRET, "create_nested");

      store.list(SecretRef.parsePrefix("infisical://" + PROJECT + "/dev"), CTX);
      assertQuery(fake, Route.LIST_SECRETS, "list_recursive", false);
      store.list(SecretRef.parsePrefix("infisical://sdk-test/dev"), CTX);
      assertQuery(fake, Route.LIST_SECRETS, "list_by_slug", true);

      clock.advance(Duration.ofHours(17));
      store.tokens().maintain();
      assertBody(fake, Route.TOKEN_RENEW, "renew");

      assertThat(store.delete(stripe, CTX)).isTrue();
      assertBody(fake, Route.DELETE_SECRET, "delete");

      store.close();
      assertBody(fake, Route.TOKEN_REVOKE, "revoke");
    }
  }

  private static RecordedCall last(InfisicalFake fake, Route route) {
    List<RecordedCall> calls = fake.recordedCalls();
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (calls.get(i).route() == route) {
        return calls.get(i);
      }
    }
    throw new AssertionError("no request on " + route);
  }

  private static void assertBody(InfisicalFake fake, Route route, String capture) {
    Captures.Exchange e = captures.exchange(capture);
    RecordedCall call = last(fake, route);
    assertThat(call.method()).as(capture).isEqualTo(e.method());
    assertThat(call.path()).as(capture).isEqualTo(e.path());
    assertThat(call.body()).as(capture + " body").isEqualTo(e.requestBody().orElseThrow());
  }

  /** The captured query parameters all appear; {@code extrasAllowed} lets the store add some. */
  private static void assertQuery(
      InfisicalFake fake, Route route, String capture, boolean extrasAllowed) {
    Captures.Exchange e = captures.exchange(capture);
    RecordedCall call = last(fake, route);
    HttpUrl captured = HttpUrl.get("http://captured" + e.target());
    Map<String, String> expected = new LinkedHashMap<>();
    for (String name : captured.queryParameterNames()) {
      expected.put(name, captured.queryParameter(name));
    }
    assertThat(call.method()).as(capture).isEqualTo(e.method());
    assertThat(call.path()).as(capture).isEqualTo(e.path());
    if (extrasAllowed) {
      assertThat(call.query()).as(capture + " query").containsAllEntriesOf(expected);
    } else {
      assertThat(call.query()).as(capture + " query").isEqualTo(expected);
    }
  }
}
