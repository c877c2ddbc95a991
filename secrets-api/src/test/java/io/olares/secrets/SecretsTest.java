package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.fakes.Await;
import io.olares.secrets.fakes.FakeApprovals;
import io.olares.secrets.fakes.FakeProvider;
import io.olares.secrets.fakes.FakeStore;
import io.olares.secrets.fakes.ManualExecutor;
import io.olares.secrets.fakes.MutableClock;
import io.olares.secrets.fakes.RecordingAuditSink;
import io.olares.secrets.fakes.RulePolicy;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  private final MutableClock clock = MutableClock.atEpochPlusOneDay();
  private final ManualExecutor refresher = new ManualExecutor();
  private final RulePolicy policy = new RulePolicy();
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final FakeStore infisical = new FakeStore("infisical", Classification.CREDENTIAL);
  private final FakeStore vault =
      new FakeStore("vault", Classification.VAULT_ITEM, Capability.SIGN);
  private final List<Secrets> opened = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() {
    opened.forEach(Secrets::close);
  }

  private Secrets.Builder builder() {
    return Secrets.builder()
        .app("myapp")
        .policy(policy)
        .audit(audit)
        .clock(clock)
        .executor(refresher)
        .discovery(false)
        .store(infisical)
        .store(vault);
  }

  private Secrets build(Secrets.Builder b) {
    Secrets s = b.build();
    opened.add(s);
    return s;
  }

  private static String text(Secret secret) {
    try (secret) {
      return secret.value().revealString();
    }
  }

  @Test
  void readsAnAllowedSecretAndHandsTheCallerACopy() {
    infisical.seed("infisical://myapp/prod/DB_PASSWORD", "pw-1");
    Secrets secrets = build(builder());

    Secret first = secrets.get("infisical://myapp/prod/DB_PASSWORD");
    assertThat(first.ref().toString()).isEqualTo("infisical://myapp/prod/DB_PASSWORD");
    assertThat(first.classification()).isEqualTo(Classification.CREDENTIAL);
    first.close();

    assertThat(text(secrets.get("infisical://myapp/prod/DB_PASSWORD"))).isEqualTo("pw-1");
    AuditEvent event = audit.last();
    assertThat(event.app()).isEqualTo("myapp");
    assertThat(event.operation()).isEqualTo(Operation.READ);
    assertThat(event.reference()).isEqualTo("infisical://myapp/prod/DB_PASSWORD");
    assertThat(event.classification()).isEqualTo(Classification.CREDENTIAL);
    assertThat(event.decision()).isEqualTo("allow");
    assertThat(event.outcome()).isEqualTo("ok");
    assertThat(event.time()).isEqualTo(clock.instant());
  }

  @Test
  void aDeniedReadNeverReachesTheStore() {
    infisical.seed("infisical://forbidden/prod/ROOT", "root-pw");
    Secrets secrets = build(builder());

    assertThatThrownBy(() -> secrets.get("infisical://forbidden/prod/ROOT"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage(
            "app 'myapp' may not read infisical://forbidden/prod/ROOT: container 'forbidden' is"
                + " closed to myapp");

    assertThat(infisical.reads).hasValue(0);
    assertThat(audit.last().decision()).isEqualTo("deny");
    assertThat(audit.last().outcome()).isEqualTo("denied");
  }

  @Test
  void deniedWritesDeletesAndListsNeverReachTheStoreEither() {
    Secrets secrets = build(builder());

    try (SecretValue v = SecretValue.ofString("x")) {
      assertThatThrownBy(() -> secrets.put("infisical://forbidden/a/b", v))
          .isInstanceOf(AccessDeniedException.class);
    }
    assertThatThrownBy(() -> secrets.delete("infisical://forbidden/a/b"))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> secrets.list("infisical://forbidden"))
        .isInstanceOf(AccessDeniedException.class);

    assertThat(infisical.writes.get() + infisical.deletes.get() + infisical.lists.get()).isZero();
    assertThat(audit.events).extracting(AuditEvent::outcome).containsOnly("denied");
  }

  @Test
  void anUnknownStoreIsAConfigurationErrorNamingItAndIsAudited() {
    Secrets secrets = build(builder());

    assertThatThrownBy(() -> secrets.get("nowhere://a/b"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "no store named 'nowhere' is configured for nowhere://a/b; configured stores:"
                + " infisical, vault");
    assertThat(audit.last().decision()).isEqualTo("none");
    assertThat(audit.last().outcome()).isEqualTo("error:ConfigurationException");
  }

  @Test
  void aMissingSecretIsNotFoundForGetAndEmptyForFind() {
    Secrets secrets = build(builder());

    assertThatThrownBy(() -> secrets.get("infisical://myapp/prod/NOPE"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret infisical://myapp/prod/NOPE does not exist");
    assertThat(secrets.find("infisical://myapp/prod/NOPE")).isEmpty();
    assertThat(audit.events)
        .extracting(AuditEvent::outcome)
        .containsExactly("not_found", "not_found");
  }

  @Test
  void anInvalidReferenceNamesTheProblem() {
    Secrets secrets = build(builder());

    assertThatThrownBy(() -> secrets.get("infisical://myapp/../x"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("path segment 1 must not be '..'");
  }

  @Test
  void aReadNeedingApprovalWithoutAnApproverCarriesTheChallengeAndReadsNothing() {
    vault.seed("vault://personal/github", "gh-pw");
    Secrets secrets = build(builder().approvalVerifier(new FakeApprovals.TagVerifier()));

    ApprovalRequiredException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApprovalRequiredException.class, () -> secrets.get("vault://personal/github#password"));

    ApprovalRequest request = e.request();
    assertThat(request.audience()).isEqualTo("vault");
    assertThat(request.subject()).isEqualTo("vault://personal/github");
    assertThat(request.operation()).isEqualTo(Operation.READ);
    assertThat(request.app()).isEqualTo("myapp");
    assertThat(request.issuedAt()).isEqualTo(clock.instant());
    assertThat(e.challenge()).isEqualTo(request.challenge());
    assertThat(e.getMessage()).contains("vault items need an approval per use", e.challenge());
    assertThat(vault.reads).hasValue(0);
    assertThat(audit.last().decision()).isEqualTo("approval_required");
    assertThat(audit.last().outcome()).isEqualTo("approval_required");
  }

  @Test
  void anApprovalObtainedAfterTheExceptionOpensTheSecretOnceOnly() {
    vault.seed("vault://personal/github", "gh-pw");
    Secrets secrets = build(builder().approvalVerifier(new FakeApprovals.TagVerifier()));
    SecretRef ref = SecretRef.parse("vault://personal/github");
    ApprovalRequest request =
        org.junit.jupiter.api.Assertions.assertThrows(
                ApprovalRequiredException.class, () -> secrets.get(ref))
            .request();
    Approval approval = new FakeApprovals.SigningApprover().approve(request);

    assertThat(text(secrets.get(ref, approval))).isEqualTo("gh-pw");
    assertThat(vault.contexts.get(0).approval()).isSameAs(approval);

    assertThatThrownBy(() -> secrets.get(ref, approval))
        .isInstanceOf(ApprovalRejectedException.class)
        .hasMessageContaining("replayed");
    assertThat(vault.reads).hasValue(1);
    assertThat(audit.last().outcome()).isEqualTo("denied");
  }

  @Test
  void anApprovalForAnotherSecretIsRejected() {
    vault.seed("vault://personal/github", "gh-pw");
    vault.seed("vault://personal/bank", "bank-pw");
    Secrets secrets = build(builder().approvalVerifier(new FakeApprovals.TagVerifier()));
    ApprovalRequest forGithub =
        secrets.requestApproval(SecretRef.parse("vault://personal/github"), Operation.READ);
    Approval approval = new FakeApprovals.SigningApprover().approve(forGithub);

    assertThatThrownBy(() -> secrets.get(SecretRef.parse("vault://personal/bank"), approval))
        .isInstanceOf(ApprovalRejectedException.class);
    assertThat(vault.reads).hasValue(0);
  }

  @Test
  void aConfiguredApproverIsAskedForEveryUseAndApprovedReadsAreNeverCached() {
    vault.seed("vault://personal/github", "gh-pw");
    FakeApprovals.SigningApprover approver = new FakeApprovals.SigningApprover();
    Secrets secrets =
        build(builder().approver(approver).approvalVerifier(new FakeApprovals.TagVerifier()));

    assertThat(text(secrets.get("vault://personal/github#password"))).isEqualTo("gh-pw");
    assertThat(text(secrets.get("vault://personal/github#password"))).isEqualTo("gh-pw");

    assertThat(approver.requests).hasSize(2);
    assertThat(vault.reads).hasValue(2);
    assertThat(secrets.cacheStats().orElseThrow().loads()).isZero();
    assertThat(audit.events).extracting(AuditEvent::outcome).containsExactly("ok", "ok");
  }

  @Test
  void withoutAVerifierAStoreThatCannotVerifyApprovalsIsDeniedAndTheApproverNotAsked() {
    vault.seed("vault://personal/github", "gh-pw");
    FakeApprovals.SigningApprover approver = new FakeApprovals.SigningApprover();
    Secrets secrets = build(builder().approver(approver));

    assertThatThrownBy(() -> secrets.get("vault://personal/github"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("no approval verifier is configured");
    assertThat(approver.requests).isEmpty();
    assertThat(vault.reads).hasValue(0);
  }

  @Test
  void aStoreThatVerifiesApprovalsIssuesTheRequestAndChecksTheApprovalItself() {
    FakeStore selfVerifying = new FakeStore("safe", Classification.VAULT_ITEM, Capability.APPROVAL);
    selfVerifying.seed("safe://personal/key", "k");
    FakeApprovals.SigningApprover approver = new FakeApprovals.SigningApprover();
    Secrets secrets =
        build(
            Secrets.builder()
                .app("myapp")
                .policy(policy)
                .audit(audit)
                .discovery(false)
                .store(selfVerifying)
                .approver(approver));

    assertThat(text(secrets.get("safe://personal/key"))).isEqualTo("k");

    assertThat(approver.requests).hasSize(1);
    assertThat(approver.requests.get(0).audience()).isEqualTo("fake-vault-safe");
    assertThat(selfVerifying.contexts.get(0).approval().request())
        .isEqualTo(approver.requests.get(0));
  }

  @Test
  void cachesAllowedReadsAndInvalidatesOnPutAndDelete() {
    infisical.seed("infisical://myapp/prod/DB", "v1");
    // A window no test outlasts, so that only flushAudit writes the tally.
    Secrets secrets = build(builder().auditTally(Duration.ofHours(1)));

    assertThat(text(secrets.get("infisical://myapp/prod/DB#password"))).isEqualTo("v1");
    assertThat(text(secrets.get("infisical://myapp/prod/DB#password"))).isEqualTo("v1");
    assertThat(infisical.reads).hasValue(1);

    try (SecretValue v2 = SecretValue.ofString("v2")) {
      secrets.put("infisical://myapp/prod/DB", v2);
      assertThat(v2.isClosed()).as("the caller keeps its value").isFalse();
    }
    assertThat(text(secrets.get("infisical://myapp/prod/DB#password"))).isEqualTo("v2");
    assertThat(infisical.reads).hasValue(2);

    assertThat(secrets.delete("infisical://myapp/prod/DB")).isTrue();
    assertThat(secrets.find("infisical://myapp/prod/DB#password")).isEmpty();
    assertThat(secrets.delete("infisical://myapp/prod/DB")).isFalse();
    secrets.flushAudit();
    // The read served from the cache is counted in the tally that flushAudit writes last.
    assertThat(audit.events)
        .extracting(AuditEvent::operation, AuditEvent::outcome, AuditEvent::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Operation.READ, "ok", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.WRITE, "ok", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.READ, "ok", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, "ok", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.READ, "not_found", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, "not_found", 1L),
            org.assertj.core.groups.Tuple.tuple(Operation.READ, "ok", 1L));
    assertThat(audit.events).filteredOn(AuditEvent::isTally).hasSize(1);
  }

  @Test
  void aChangeReportedByAWatchedStoreDropsTheCachedValue() {
    FakeStore k8s = new FakeStore("k8s", Classification.POD_SECRET, Capability.WATCH);
    k8s.seed("k8s://myapp-alice/db-secret", "one");
    Secrets secrets = build(builder().store(k8s));
    assertThat(k8s.listeners()).isEqualTo(1);
    assertThat(text(secrets.get("k8s://myapp-alice/db-secret#url"))).isEqualTo("one");

    k8s.seed("k8s://myapp-alice/db-secret", "two");
    assertThat(text(secrets.get("k8s://myapp-alice/db-secret#url"))).isEqualTo("one");
    k8s.fireChange(SecretRef.parsePrefix("k8s://myapp-alice"));

    assertThat(text(secrets.get("k8s://myapp-alice/db-secret#url"))).isEqualTo("two");
    secrets.close();
    assertThat(k8s.listeners()).as("closing ends the watch").isZero();
  }

  @Test
  void sixtyFourConcurrentCallersOfOneSecretCauseOneStoreRead() throws Exception {
    infisical.seed("infisical://myapp/prod/DB", "v1");
    CountDownLatch release = new CountDownLatch(1);
    FakeStore slow = new FakeStore("slow", Classification.CREDENTIAL);
    slow.blockReadsOn(release);
    slow.seed("slow://myapp/prod/DB", "v1");
    Secrets secrets = build(builder().store(slow));
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      CyclicBarrier start = new CyclicBarrier(64);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return text(secrets.get("slow://myapp/prod/DB"));
                }));
      }
      Await.until(
          "63 callers wait for the first",
          () -> secrets.cacheStats().orElseThrow().joinedLoads() == 63);
      release.countDown();
      for (Future<String> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(slow.reads).hasValue(1);
    assertThat(audit.events).hasSize(64);
  }

  @Test
  void listsUnderAPrefixWithoutValuesAsTheListOperation() {
    infisical.seed("infisical://myapp/prod/A", "a");
    infisical.seed("infisical://myapp/prod/B", "b");
    infisical.seed("infisical://other/prod/C", "c");
    Secrets secrets = build(builder());

    List<SecretInfo> listed = secrets.list("infisical://myapp/prod");

    assertThat(listed)
        .extracting(i -> i.ref().toString())
        .containsExactly("infisical://myapp/prod/A", "infisical://myapp/prod/B");
    assertThat(policy.seen.get(0).operation()).isEqualTo(Operation.LIST);
    assertThat(policy.seen.get(0).ref().toString()).isEqualTo("infisical://myapp/prod");
    assertThat(audit.last().operation()).isEqualTo(Operation.LIST);
  }

  @Test
  void signsWithAKeyKeptInTheStoreAfterApproval() throws Exception {
    vault.seed("vault://personal/eth-key", "key-bytes");
    Secrets secrets =
        build(
            builder()
                .approver(new FakeApprovals.SigningApprover())
                .approvalVerifier(new FakeApprovals.TagVerifier()));
    byte[] message = "transfer 1 ETH".getBytes(StandardCharsets.UTF_8);

    byte[] signature = secrets.sign(SecretRef.parse("vault://personal/eth-key"), message, null);

    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update("key-bytes".getBytes(StandardCharsets.UTF_8));
    assertThat(signature).isEqualTo(md.digest(message));
    assertThat(audit.last().operation()).isEqualTo(Operation.SIGN);
    assertThatThrownBy(
            () -> secrets.sign(SecretRef.parse("infisical://myapp/prod/A"), message, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("store 'infisical' (fake) cannot sign");
  }

  @Test
  void aStoreWithoutACapabilityIsRefusedBeforeItIsCalled() {
    FakeStore readOnly = new FakeStore("pod", Set.of(Capability.READ), Classification.POD_SECRET);
    Secrets secrets = build(builder().store(readOnly));

    try (SecretValue v = SecretValue.ofString("x")) {
      assertThatThrownBy(() -> secrets.put("pod://env/DATABASE_URL", v))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("store 'pod' (fake) cannot write");
    }
    assertThat(readOnly.writes).hasValue(0);
  }

  @Test
  void anUnexpectedStoreFailureBecomesASecretsExceptionNamingOnlyTheStoreAndType() {
    infisical.failReadsWith(() -> new IllegalStateException("driver exploded"));
    Secrets secrets = build(builder().cache(CacheOptions.DISABLED));

    assertThatThrownBy(() -> secrets.get("infisical://myapp/prod/A"))
        .isExactlyInstanceOf(SecretsException.class)
        .hasMessage(
            "store 'infisical' (fake) failed to read infisical://myapp/prod/A:"
                + " java.lang.IllegalStateException")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(audit.last().outcome()).isEqualTo("error:SecretsException");
  }

  @Test
  void servesAStaleValueWhileTheStoreIsDownWithinTheBound() {
    infisical.seed("infisical://myapp/prod/A", "a");
    Secrets secrets =
        build(
            builder()
                .cache(
                    new CacheOptions(
                        Duration.ofMinutes(1),
                        Duration.ZERO,
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(1),
                        100)));
    assertThat(text(secrets.get("infisical://myapp/prod/A"))).isEqualTo("a");
    infisical.failReadsWith(() -> new StoreUnavailableException("infisical answered 503"));

    clock.advance(Duration.ofMinutes(3));
    assertThat(text(secrets.get("infisical://myapp/prod/A"))).isEqualTo("a");

    clock.advance(Duration.ofMinutes(3));
    assertThatThrownBy(() -> secrets.get("infisical://myapp/prod/A"))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(audit.last().outcome()).isEqualTo("error:StoreUnavailableException");
  }

  @Test
  void checkTellsTheDecisionWithoutReadingOrAuditing() {
    Secrets secrets = build(builder());

    Decision d = secrets.check(SecretRef.parse("vault://personal/x"), Operation.READ);

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.APPROVAL_REQUIRED);
    assertThat(secrets.describe(SecretRef.parse("vault://personal/x")))
        .isEqualTo(ResourceInfo.of(Classification.VAULT_ITEM));
    assertThat(vault.reads).hasValue(0);
    assertThat(audit.events).isEmpty();
  }

  @Test
  void opensConfiguredStoresWithAnExplicitProvider() {
    FakeProvider provider = new FakeProvider();
    Secrets secrets =
        build(
            Secrets.builder()
                .app("myapp")
                .user("alice")
                .home(dir)
                .policy(policy)
                .audit(audit)
                .discovery(false)
                .provider(provider)
                .storeConfig(new StoreConfig("creds", "fake", Map.of("class", "CREDENTIAL")))
                .storeConfig(new StoreConfig("pods", "fake", Map.of("class", "POD_SECRET"))));

    assertThat(secrets.stores())
        .containsExactly(Map.entry("creds", "fake"), Map.entry("pods", "fake"));
    assertThat(provider.contexts.get(0).app()).isEqualTo("myapp");
    assertThat(provider.contexts.get(0).user()).isEqualTo("alice");
    assertThat(provider.contexts.get(0).home()).isEqualTo(dir);
    provider.opened.get(1).seed("pods://myapp-alice/db", "url");
    assertThat(text(secrets.get("pods://myapp-alice/db"))).isEqualTo("url");
  }

  @Test
  void aStoreThatFailsToOpenLeavesNothingOpen() {
    FakeProvider provider = new FakeProvider();
    RecordingAuditSink sink = new RecordingAuditSink();

    assertThatThrownBy(
            () ->
                Secrets.builder()
                    .app("myapp")
                    .policy(policy)
                    .audit(sink)
                    .discovery(false)
                    .store(infisical)
                    .provider(provider)
                    .storeConfig(new StoreConfig("good", "fake", Map.of()))
                    .storeConfig(new StoreConfig("bad", "fake", Map.of("fail", true)))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("store 'bad' (fake): option 'fail' was asked to fail");

    assertThat(provider.opened.get(0).isClosed()).isTrue();
    assertThat(infisical.isClosed()).isTrue();
    assertThat(sink.closed).isTrue();
  }

  @Test
  void anUnknownStoreTypeNamesTheKnownOnes() {
    assertThatThrownBy(
            () ->
                Secrets.builder()
                    .app("myapp")
                    .policy(policy)
                    .discovery(false)
                    .provider(new FakeProvider())
                    .storeConfig(new StoreConfig("v", "vault", Map.of()))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("no store provider offers type 'vault'; known types: fake");
  }

  @Test
  void refusesToBuildWithoutAnAppOrWithTwoStoresOfOneName() {
    assertThatThrownBy(() -> Secrets.builder().policy(policy).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("no app name");
    assertThatThrownBy(
            () ->
                Secrets.builder()
                    .app("a")
                    .policy(policy)
                    .store(new FakeStore("s", Classification.CREDENTIAL))
                    .store(new FakeStore("s", Classification.CREDENTIAL))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("two stores are named 's'");
  }

  @Test
  void buildsFromAConfigFileWithAnAuditFileThatVerifies() throws Exception {
    Path file = dir.resolve("secrets.yaml");
    Path auditFile = dir.resolve("audit/audit.jsonl");
    Files.writeString(
        file,
        "app: cfgapp\n"
            + "stores:\n"
            + "  creds: { type: fake, class: CREDENTIAL }\n"
            + "cache: false\n"
            + "audit: { file: \""
            + auditFile
            + "\", log: false }\n");
    FakeProvider provider = new FakeProvider();

    try (Secrets secrets =
        Secrets.builder()
            .config(io.olares.secrets.config.SecretsConfig.load(file))
            .provider(provider)
            .policy(policy)
            .build()) {
      provider.opened.get(0).seed("creds://cfgapp/prod/A", "a");
      assertThat(text(secrets.get("creds://cfgapp/prod/A"))).isEqualTo("a");
      assertThat(secrets.find("creds://cfgapp/prod/B")).isEmpty();
      assertThat(secrets.app()).isEqualTo("cfgapp");
      assertThat(secrets.cacheStats()).isEmpty();
    }

    io.olares.secrets.audit.AuditVerifier.Result result =
        io.olares.secrets.audit.AuditVerifier.verify(auditFile);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.lines()).isEqualTo(2);
    assertThat(Files.readString(auditFile))
        .contains("\"app\":\"cfgapp\"", "\"outcome\":\"not_found\"");
  }

  @Test
  void closingClosesStoresWipesTheCacheAndRefusesFurtherCalls() {
    infisical.seed("infisical://myapp/prod/A", "a");
    Secrets secrets = builder().build();
    text(secrets.get("infisical://myapp/prod/A"));

    secrets.close();
    secrets.close();

    assertThat(infisical.isClosed()).isTrue();
    assertThat(vault.isClosed()).isTrue();
    assertThat(audit.closed).isTrue();
    assertThatThrownBy(() -> secrets.get("infisical://myapp/prod/A"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringShowsAppAndStoresOnly() {
    Secrets secrets = build(builder());

    assertThat(secrets.toString())
        .isEqualTo("Secrets[app=myapp, stores={infisical=fake, vault=fake}, cache=true]");
  }
}
