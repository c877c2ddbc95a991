package io.olares.secrets.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.infisical.InfisicalAuth;
import io.olares.secrets.infisical.InfisicalOptions;
import io.olares.secrets.infisical.InfisicalStore;
import io.olares.secrets.infisical.OlaresSecretStoreProvider;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.PolicyConfig;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import io.olares.secrets.testing.MemoryStoreProvider;
import io.olares.secrets.testing.fake.infisical.InfisicalFake;
import io.olares.secrets.testing.fake.olares.FakeOlares;
import io.olares.secrets.vault.ItemKind;
import io.olares.secrets.vault.KdfParams;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import io.olares.secrets.vault.VaultOptions;
import io.olares.secrets.vault.VaultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen threads mix reads, writes and deletes through one {@link Secrets} facade (cache on) on
 * each writable store, for a fixed number of operations. Every thread owns its own keys, so the
 * order of its own operations is the serial order of those keys: each read must return what the
 * thread's sequential model says (the last value it wrote, or nothing after a delete), and when all
 * threads are done the store must hold exactly the union of the models. Reads go through the
 * facade's cache, so a stale cached value after a write or delete fails the test too.
 */
@Tag("reliability")
class ConcurrentModelTest {
  private static final int THREADS = 16;
  private static final int KEYS_PER_THREAD = 4;
  private static final String APP = "shop";

  @TempDir Path dir;

  /** One operation count per store, and what it returned. */
  record Outcome(int operations, int reads, int writes, int deletes, int keysPresent) {}

  private Outcome run(Secrets secrets, Function<String, String> refOf, int opsPerThread)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Map<String, String>>> models = new ArrayList<>();
    int[] counts = new int[3];
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      models.add(
          pool.submit(
              () -> {
                Random random = new Random(1000 + thread);
                Map<String, String> model = new HashMap<>();
                start.await();
                for (int op = 0; op < opsPerThread; op++) {
                  String key = "t" + thread + "-k" + random.nextInt(KEYS_PER_THREAD);
                  String ref = refOf.apply(key);
                  int kind = random.nextInt(10);
                  if (kind < 5) {
                    Optional<Secret> found = secrets.find(SecretRef.parse(ref));
                    String got = found.map(s -> reveal(s)).orElse(null);
                    assertThat(got)
                        .as("thread %d op %d read %s", thread, op, ref)
                        .isEqualTo(model.get(key));
                    synchronized (counts) {
                      counts[0]++;
                    }
                  } else if (kind < 8) {
                    String value = "v-" + thread + "-" + op + "-" + random.nextInt(1000);
                    try (SecretValue v = SecretValue.ofString(value)) {
                      secrets.put(ref, v);
                    }
                    model.put(key, value);
                    synchronized (counts) {
                      counts[1]++;
                    }
                  } else {
                    boolean deleted = secrets.delete(ref);
                    assertThat(deleted)
                        .as("thread %d op %d delete %s", thread, op, ref)
                        .isEqualTo(model.containsKey(key));
                    model.remove(key);
                    synchronized (counts) {
                      counts[2]++;
                    }
                  }
                }
                return model;
              }));
    }
    start.countDown();
    Map<String, String> expected = new HashMap<>();
    for (Future<Map<String, String>> f : models) {
      expected.putAll(f.get(10, TimeUnit.MINUTES));
    }
    pool.shutdown();

    secrets.invalidateCache();
    int present = 0;
    for (int t = 0; t < THREADS; t++) {
      for (int k = 0; k < KEYS_PER_THREAD; k++) {
        String key = "t" + t + "-k" + k;
        Optional<Secret> found = secrets.find(SecretRef.parse(refOf.apply(key)));
        String got = found.map(ConcurrentModelTest::reveal).orElse(null);
        assertThat(got).as("final state of %s", key).isEqualTo(expected.get(key));
        if (got != null) {
          present++;
        }
      }
    }
    return new Outcome(THREADS * opsPerThread, counts[0], counts[1], counts[2], present);
  }

  private static String reveal(Secret s) {
    try (s) {
      return s.value().revealString();
    }
  }

  @Test
  void theMemoryStoreEndsAsTheSequentialModelSays() throws Exception {
    try (Secrets secrets =
        Secrets.builder()
            .app(APP)
            .discovery(false)
            .provider(new MemoryStoreProvider())
            .storeConfig(
                new StoreConfig(
                    "mem", "memory", Map.of("classification", "application_credential")))
            .policy(DefaultPolicy.builtIn())
            .cache(CacheOptions.DEFAULTS)
            .audit(e -> {})
            .build()) {
      Outcome o = run(secrets, key -> "mem://" + APP + "/" + key, 2_000);
      assertThat(o.operations()).isEqualTo(32_000);
      assertThat(o.writes()).isPositive();
      assertThat(o.deletes()).isPositive();
    }
  }

  @Test
  void theVaultEndsAsTheSequentialModelSays() throws Exception {
    DeviceKey device = DeviceKey.generate();
    Vault vault =
        Vault.init(
            "jdbc:sqlite:" + dir.resolve("vault.db"),
            "passphrase".toCharArray(),
            new KdfParams(256, 2, 1),
            VaultOptions.builder().kdfFloor(new KdfParams(64, 1, 1)).build());
    try (VaultAdmin admin = vault.admin("passphrase".toCharArray())) {
      admin.trust(device.did());
    }
    try (Secrets secrets =
        Secrets.builder()
            .app(APP)
            .discovery(false)
            .store(new VaultStore("vault", vault, ItemKind.API_SECRET))
            .policy(DefaultPolicy.builtIn())
            .approver(new DeviceKeyApprover(device, "alice@olares.com", "olares.com"))
            .cache(CacheOptions.DEFAULTS)
            .audit(e -> {})
            .build()) {
      Outcome o = run(secrets, key -> "vault://personal/" + key, 60);
      assertThat(o.operations()).isEqualTo(960);
    }
  }

  @Test
  void theOlaresSecretStoreEndsAsTheSequentialModelSays() throws Exception {
    try (FakeOlares olares = FakeOlares.start()) {
      olares
          .registerApp(APP, "k", "s")
          .serviceAccount("sa-token")
          .grantProvider(FakeOlares.SECRET_PROVIDER_APP, FakeOlares.SECRET_PROVIDER_NAME);
      Path token = dir.resolve("token");
      Files.writeString(token, "sa-token");
      try (Secrets secrets =
          Secrets.builder()
              .app(APP)
              .discovery(false)
              .provider(new OlaresSecretStoreProvider())
              .storeConfig(
                  new StoreConfig(
                      "secret",
                      OlaresSecretStoreProvider.TYPE,
                      Map.of(
                          "generation",
                          "2",
                          "endpoint",
                          olares.secretProviderUrl().toString(),
                          "tokenFile",
                          token.toString())))
              .policy(DefaultPolicy.builtIn())
              .cache(CacheOptions.DEFAULTS)
              .audit(e -> {})
              .environment(Map.<String, String>of()::get)
              .home(dir)
              .build()) {
        Outcome o = run(secrets, key -> "secret://" + APP + "/prod/" + key.replace('-', '_'), 150);
        assertThat(o.operations()).isEqualTo(2_400);
      }
    }
  }

  @Test
  void theInfisicalStoreEndsAsTheSequentialModelSays() throws Exception {
    try (InfisicalFake fake =
            InfisicalFake.builder()
                .project("p-1", "shop")
                .environments("p-1", "prod")
                .universalAuth("client", "client-secret")
                .start();
        SecretValue clientSecret = SecretValue.ofString("client-secret")) {
      InfisicalStore store =
          InfisicalStore.open(
              "infisical",
              InfisicalOptions.builder(fake.url(), InfisicalAuth.universal("client", clientSecret))
                  .build(),
              StoreContext.system(APP));
      PolicyConfig policy =
          PolicyConfig.empty()
              .withApp(APP)
              .withGrants(
                  List.of(
                      new Grant.RefGrant(
                          null,
                          "infisical://shop/prod/**",
                          Set.of(Operation.READ, Operation.WRITE, Operation.DELETE))));
      try (Secrets secrets =
          Secrets.builder()
              .app(APP)
              .discovery(false)
              .store(store)
              .policy(new DefaultPolicy(policy))
              .cache(CacheOptions.DEFAULTS)
              .audit(e -> {})
              .build()) {
        Outcome o = run(secrets, key -> "infisical://shop/prod/" + key.replace('-', '_'), 150);
        assertThat(o.operations()).isEqualTo(2_400);
      }
    }
  }
}
