package io.olares.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void classesPrintsAHeaderAndFiveRows() {
    Run r = run("classes");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().filter(l -> !l.isBlank())).hasSize(6);
    assertThat(r.out())
        .contains("VAULT_ITEM", "CREDENTIAL", "INTEGRATION_CREDENTIAL", "APPLICATION_CREDENTIAL")
        .contains("POD_SECRET");
  }

  @Test
  void storesListsMemoryAndEveryBackendOfTheBuild() {
    Run r = run("stores");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("memory", "vault", "olares-integration", "kubernetes", "pod", "infisical")
        .contains("secrets-vault", "secrets-k8s", "secrets-provider", "secrets-testing")
        .contains("secrets-infisical");
  }

  @Test
  void aMalformedReferenceExitsWithTwoAndNamesTheProblem() {
    Run r = run("get", "bad::ref");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad::ref").contains("'<store>://'");
  }

  @Test
  void globalOptionsWorkBeforeOrAfterTheCommandAndEveryCommandHasHelp() throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(
        config, "app: a\nstores:\n  m: { type: memory, classification: APPLICATION_CREDENTIAL }\n");
    assertThat(run("--config", config.toString(), "list", "m://a").code()).isZero();
    assertThat(run("list", "m://a", "--config", config.toString()).code()).isZero();
    assertThat(run("--app", "b", "--config", config.toString(), "list", "m://a").code())
        .isEqualTo(4);
    assertThat(run("get", "--help").code()).isZero();
    assertThat(run("vault", "sign", "--help").out()).contains("--message-hex");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void theDemoShowsAllowedDeniedAndApprovedReadsAndAVerifiedAuditChain() throws Exception {
    Run r = run("demo", "--dir", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("-> allow")
        .contains("-> deny")
        .contains("approval required")
        .contains("approved read returned")
        .contains("audit chain verified");
    assertThat(Files.exists(dir.resolve("audit.jsonl"))).isTrue();
  }

  @Test
  void deviceKeysAreCreatedShownAndNeverOverwritten() {
    Path key = dir.resolve("k/device.key");
    Run made = run("device", "new", "--out", key.toString());
    assertThat(made.code()).isZero();
    String did = made.out().trim();
    assertThat(did).startsWith("did:key:z6Mk");
    assertThat(run("device", "show", key.toString()).out().trim()).isEqualTo(did);
    Run again = run("device", "new", "--out", key.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("never overwritten");
  }

  @Test
  void approvePrintsACompactJwsSignedByTheDeviceKey() {
    Path key = dir.resolve("device.key");
    String did = run("device", "new", "--out", key.toString()).out().trim();
    Run r = run("approve", "--device-key", key.toString(), "--challenge", "abc");
    assertThat(r.code()).isZero();
    io.olares.secrets.approval.Jws jws = io.olares.secrets.approval.Jws.parse(r.out().trim());
    assertThat(jws.kid()).isEqualTo(did);
    assertThat(jws.payload().challenge()).isEqualTo("abc");
    assertThat(jws.verify()).isTrue();
  }

  @Test
  void scanReportsTheNotesAppFindingsWithExitOne() {
    Path chart = sharedTestData().resolve("olares/charts/notes-app");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(chart), "../shared/testdata is absent: skipping the scan test");
    Run r = run("scan", chart.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("DB_PASSWORD", "DATABASE_URL", "REDIS_URL", "ADMIN_TOKEN");
  }

  @Test
  void policyPrintsTheGrantsOfAManifest() {
    Path manifest = sharedTestData().resolve("olares/manifests/legacy-sysdata.yaml");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(manifest), "../shared/testdata is absent: skipping the policy test");
    Run r = run("policy", manifest.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("secret.infisical").contains("RetrieveSecret?workspace=notes");
  }

  @Test
  void auditVerifyExitsSixOnABrokenChain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    assertThat(run("demo", "--dir", dir.toString()).code()).isZero();
    assertThat(run("audit", "verify", file.toString()).code()).isZero();
    var lines = new java.util.ArrayList<>(Files.readAllLines(file));
    lines.set(1, lines.get(1).replace("\"read\"", "\"list\""));
    Files.write(file, lines);
    Run r = run("audit", "verify", file.toString());
    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err()).contains("line 2");
  }

  private static Path sharedTestData() {
    String p = System.getProperty("olares.shared.testdata");
    return p == null ? Path.of("../shared/testdata-missing") : Path.of(p);
  }
}
