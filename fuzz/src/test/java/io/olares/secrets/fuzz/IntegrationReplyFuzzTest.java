package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.provider.IntegrationStoreProvider;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code olares-integration} store (generation 2, through the provider client over HTTP)
 * against a server that answers every request with a fuzzed status and body: reads and lists return
 * results or throw {@link io.olares.secrets.SecretsException} subclasses, never anything else, and
 * never more than four requests per read (one retry after a 401, and one fetch again of an expired
 * token). The store's retries of transient statuses are off ({@code retries: 0}): they would only
 * repeat the same fuzzed reply after a real wait; secrets-provider's own tests cover them.
 */
class IntegrationReplyFuzzTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final AccessContext READ = AccessContext.of("photoframe", Operation.READ);
  private static final AccessContext LIST = AccessContext.of("photoframe", Operation.LIST);
  private static final String[] FIELDS = {
    "accessToken", "refreshToken", "expires_at", "raw_data", "scope", "nope"
  };
  private static FuzzServer server;
  private static SecretStore store;

  private static synchronized SecretStore store() {
    if (store == null) {
      try {
        Path dir = Files.createTempDirectory("fuzz-integration");
        Files.writeString(dir.resolve("token"), "sa-token");
        server = new FuzzServer();
        StoreContext context =
            new StoreContext(
                "photoframe", "alice", Clock.fixed(NOW, ZoneOffset.UTC), name -> null, dir);
        store =
            new IntegrationStoreProvider()
                .open(
                    new StoreConfig(
                        "integration",
                        IntegrationStoreProvider.TYPE,
                        Map.of(
                            "endpoint",
                            server.url("/").toString(),
                            "tokenFile",
                            dir.resolve("token").toString(),
                            "timeout",
                            "2s",
                            "retries",
                            "0")),
                    context);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return store;
  }

  @FuzzTest(maxDuration = "60s")
  void integrationRepliesMapToSecretsOrToTheSdkErrors(FuzzedDataProvider data) {
    // the store talks to this test's own loopback server, nothing else
    BugDetectors.allowNetworkConnections(
        (host, port) -> host.equals("localhost") || host.equals("127.0.0.1"));
    SecretStore s = store();
    // 1xx replies only make the client wait for its timeout; they teach the fuzzer nothing
    int status = data.consumeBoolean() ? 200 : data.consumeInt(200, 599);
    String field = data.pickValue(FIELDS);
    boolean list = data.consumeBoolean();
    server.reply(status, data.consumeRemainingAsBytes());
    int before = server.requests();
    try {
      if (list) {
        List<SecretInfo> found = s.list(SecretRef.parsePrefix("integration://google"), LIST);
        found.forEach(SecretInfo::toString);
      } else {
        Optional<Secret> found =
            s.read(SecretRef.parse("integration://google/alice@gmail.com#" + field), READ);
        found.ifPresent(Secret::close);
      }
    } catch (RuntimeException e) {
      Findings.allowSdkErrors(e);
    }
    int calls = server.requests() - before;
    if (calls > 4) {
      throw Findings.property("one read made " + calls + " requests");
    }
  }
}
