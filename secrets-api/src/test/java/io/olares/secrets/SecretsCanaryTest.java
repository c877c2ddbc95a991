package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.audit.AuditEvent;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.config.SecretsConfig;
import io.olares.secrets.fakes.FakeStore;
import io.olares.secrets.fakes.ManualExecutor;
import io.olares.secrets.fakes.MutableClock;
import io.olares.secrets.fakes.RecordingAuditSink;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a unique canary value through the facade, reads it back, drives every error path, and
 * proves the canary never shows up in the log output (SLF4J at DEBUG, captured from System.err),
 * the audit trail (in memory and on disk), exception messages and stack traces, or any {@code
 * toString()}.
 */
class SecretsCanaryTest {
  private final String canary = "canary-" + UUID.randomUUID();
  private final List<String> seen = new ArrayList<>();

  @TempDir Path dir;

  @Test
  void theCanaryNeverLeaksOnAnyPath() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    RecordingAuditSink audit = new RecordingAuditSink();
    Path auditFile = dir.resolve("audit.jsonl");
    try {
      exercise(audit, auditFile);
    } finally {
      System.setErr(originalErr);
    }

    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the SDK did log, at DEBUG too").contains("DEBUG", "WARN", "INFO");
    for (AuditEvent event : audit.events) {
      seen.add(event.toString());
    }
    assertThat(audit.events).hasSizeGreaterThan(10);
    String trail = Files.readString(auditFile);
    assertThat(trail).contains("\"outcome\":\"denied\"");

    List<String> forms =
        List.of(
            canary,
            Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8)),
            HexFormat.of().formatHex(canary.getBytes(StandardCharsets.UTF_8)));
    for (String form : forms) {
      assertThat(log).doesNotContain(form);
      assertThat(trail).doesNotContain(form);
      assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(form));
    }
  }

  private void exercise(RecordingAuditSink audit, Path auditFile) throws Exception {
    MutableClock clock = MutableClock.atEpochPlusOneDay();
    ManualExecutor refresher = new ManualExecutor();
    FakeStore creds = new FakeStore("creds", Classification.CREDENTIAL, Capability.WATCH);
    FakeStore vault = new FakeStore("vault", Classification.VAULT_ITEM, Capability.SIGN);
    FakeStore pods = new FakeStore("pods", Set.of(Capability.READ), Classification.POD_SECRET);
    FakeStore apps =
        new FakeStore("apps", Classification.APPLICATION_CREDENTIAL)
            .classifyingBy(
                ref ->
                    new ResourceInfo(Classification.APPLICATION_CREDENTIAL, ref.container(), null));
    creds.seed("creds://private/prod/ROOT", canary);
    vault.seed("vault://personal/github", canary);
    apps.seed("apps://otherapp/own/KEY", canary);
    pods.seed("pods://myapp-alice/db", canary);
    DeviceKey key = DeviceKey.generate();
    key.save(dir.resolve("device.key"));

    SecretsConfig config =
        SecretsConfig.parse(
            "app: myapp\n"
                + "user: alice\n"
                + "policy: { grants: [ { ref: \"creds://myapp/**\", ops: [read, write, delete, list] } ] }\n"
                + "approval: { deviceKey: \"${DIR}/device.key\" }\n"
                + "cache: { ttl: 1m, refreshAhead: 10s, staleIfError: 2m, negativeTtl: 1s }\n"
                + "audit: { file: \"${DIR}/audit.jsonl\", fsync: event }\n",
            "canary.yaml",
            Map.of("DIR", dir.toString())::get);
    seen.add(config.toString());

    try (Secrets secrets =
        Secrets.builder()
            .config(config)
            .audit(audit)
            .clock(clock)
            .executor(refresher)
            .discovery(false)
            .store(creds)
            .store(vault)
            .store(pods)
            .store(apps)
            .build()) {
      seen.add(secrets.toString());
      SecretRef token = SecretRef.parse("creds://myapp/prod/TOKEN");

      try (SecretValue value = SecretValue.ofString(canary)) {
        seen.add(value.toString());
        secrets.put(token, value);
      }
      try (Secret secret = secrets.get(token)) {
        seen.add(secret.toString());
        seen.add(secret.value().toString());
        seen.add(secret.metadata().toString());
        assertThat(secret.value().revealString())
            .as("the canary was really read")
            .isEqualTo(canary);
      }
      try (Secret again = secrets.get("creds://myapp/prod/TOKEN#value")) {
        seen.add(again.toString());
      }
      for (SecretInfo info : secrets.list("creds://myapp")) {
        seen.add(info.toString());
      }

      // Refresh ahead, then a failing store: stale, then the error.
      clock.advance(Duration.ofSeconds(55));
      secrets.get(token).close();
      refresher.runAll();
      creds.failReadsWith(() -> new StoreUnavailableException("store 'creds' answered 503"));
      clock.advance(Duration.ofMinutes(2));
      secrets.get(token).close();
      clock.advance(Duration.ofMinutes(3));
      capture(() -> secrets.get(token));
      creds.failReadsWith(() -> new IllegalStateException("driver exploded"));
      secrets.invalidateCache();
      capture(() -> secrets.get(token));
      creds.failReadsWith(null);
      creds.fireChange(token);

      capture(() -> secrets.get("creds://private/prod/ROOT"));
      capture(() -> secrets.get("apps://otherapp/own/KEY"));
      capture(() -> secrets.get("creds://myapp/prod/NOPE"));
      capture(() -> secrets.get("nowhere://a/b"));
      capture(() -> secrets.get("creds://myapp/../x"));
      try (SecretValue value = SecretValue.ofString(canary)) {
        capture(() -> secrets.put(SecretRef.parse("pods://myapp-alice/db"), value));
        capture(() -> secrets.put(SecretRef.parse("creds://private/prod/ROOT"), value));
      }
      capture(() -> secrets.sign(SecretRef.parse("creds://myapp/prod/TOKEN"), new byte[1], null));

      try (Secret item = secrets.get("vault://personal/github#password")) {
        seen.add(item.toString());
        assertThat(item.value().revealString()).isEqualTo(canary);
      }
      Approval used = vault.contexts.get(vault.contexts.size() - 1).approval();
      seen.add(used.toString());
      capture(() -> secrets.get(SecretRef.parse("vault://personal/github"), used));
      seen.add(
          HexFormat.of()
              .formatHex(
                  secrets.sign(SecretRef.parse("vault://personal/github"), new byte[] {1}, null)));
      secrets.delete(token);
    }

    FakeStore vault2 = new FakeStore("vault", Classification.VAULT_ITEM);
    vault2.seed("vault://personal/github", canary);
    SecretsConfig withoutApprover =
        SecretsConfig.parse(
            "app: myapp\napproval: { trustedDids: [\"" + key.did() + "\"] }\n",
            "canary2.yaml",
            name -> null);
    try (Secrets secrets =
        Secrets.builder()
            .config(withoutApprover)
            .audit(audit)
            .discovery(false)
            .store(vault2)
            .cache(CacheOptions.DISABLED)
            .build()) {
      capture(() -> secrets.get("vault://personal/github"));
    }

    capture(
        () ->
            SecretsConfig.parse(
                "app: myapp\nstores: { s: { type: t, pw: \"${" + canary + " x}\" } }\n",
                "bad.yaml",
                name -> null));
    capture(
        () ->
            SecretsConfig.parse(
                "app: myapp\ncache: { ttl: \"" + canary + "\" }\n", "bad.yaml", name -> null));
    capture(
        () ->
            SecretsConfig.parse(
                "app: myapp\nstores: { s: { type: t, pw: \"" + canary + "\" ]\n",
                "bad.yaml",
                name -> null));
    SecretsConfig expanded =
        SecretsConfig.parse(
            "app: myapp\nstores: { s: { type: t, pw: \"${PW}\" } }\n",
            "ok.yaml",
            Map.of("PW", canary)::get);
    seen.add(expanded.toString());
    seen.add(expanded.stores().get("s").toString());
    assertThat(seen.stream().filter(s -> s.contains("Exception")).count())
        .as("every error path threw")
        .isGreaterThanOrEqualTo(14);
  }

  private void capture(Runnable call) {
    try {
      call.run();
      throw new AssertionError("expected an exception");
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      seen.add(trace.toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        seen.add(String.valueOf(t.getMessage()));
      }
    }
  }
}
