package io.olares.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command line as a separate process, the way a user does: environment variables, stdin,
 * exit codes. A vault made by the CLI in SQLite is copied row for row into PostgreSQL and read
 * there through the CLI again.
 */
class CliVaultRoundTripTest {
  private static final String PASSPHRASE = "a passphrase only this test knows";

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run cli(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Duser.home=" + dir.resolve("home"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OLARES_VAULT_PASSPHRASE", PASSPHRASE);
    pb.environment().remove("OLARES_SECRETS_CONFIG");
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    drain.join();
    return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private Path config(String url) throws IOException {
    Path file = dir.resolve("config-" + Math.abs(url.hashCode()) + ".yaml");
    Files.writeString(
        file,
        "app: cli-test\n"
            + "stores:\n"
            + "  vault: { type: vault, url: \""
            + url
            + "\" }\n"
            + "audit: { file: \""
            + dir.resolve("audit.jsonl")
            + "\" }\n");
    return file;
  }

  @Test
  void aVaultMadeByTheCliIsReadWithAnApprovalAndReadsTheSameAfterCopyingIntoPostgres()
      throws Exception {
    String sqlite = "jdbc:sqlite:" + dir.resolve("personal.db");
    Path key = dir.resolve("device.key");
    Path config = config(sqlite);

    assertThat(cli("", "vault", "init", "--url", sqlite).code()).isZero();
    String did = cli("", "device", "new", "--out", key.toString()).out().trim();
    assertThat(cli("", "vault", "trust", did, "--url", sqlite).out()).contains(did);
    assertThat(
            cli("s3cr3t-🔑\n", "--config", config.toString(), "put", "vault://personal/github")
                .code())
        .isZero();

    Run needsApproval = cli("", "--config", config.toString(), "get", "vault://personal/github");
    assertThat(needsApproval.code()).isEqualTo(5);
    assertThat(needsApproval.err()).contains("challenge:").doesNotContain("s3cr3t");

    String challenge =
        needsApproval
            .err()
            .lines()
            .filter(l -> l.startsWith("challenge: "))
            .findFirst()
            .orElseThrow()
            .substring("challenge: ".length());
    String jws =
        cli("", "approve", "--device-key", key.toString(), "--challenge", challenge).out().trim();
    Run approved =
        cli("", "--config", config.toString(), "get", "vault://personal/github", "--approval", jws);
    assertThat(approved.code()).as(approved.err()).isZero();
    assertThat(approved.out()).isEqualTo("s3cr3t-🔑");

    Run replayed =
        cli("", "--config", config.toString(), "get", "vault://personal/github", "--approval", jws);
    assertThat(replayed.code()).isEqualTo(4);
    assertThat(replayed.err()).contains("replayed");

    String pg = System.getenv("OLARES_TEST_PG_URL");
    Assumptions.assumeTrue(
        pg != null && !pg.isBlank(),
        "OLARES_TEST_PG_URL is not set: the PostgreSQL half of this test is skipped");
    String schema = "cli_copy_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    try (Connection c = DriverManager.getConnection(pg);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String pgUrl = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try {
      assertThat(Vault.copyStorage(sqlite, pgUrl)).isPositive();
      Run there =
          cli(
              "",
              "--config",
              config(pgUrl).toString(),
              "get",
              "vault://personal/github",
              "--device-key",
              key.toString());
      assertThat(there.code()).as(there.err()).isZero();
      assertThat(there.out()).isEqualTo("s3cr3t-🔑");
    } finally {
      try (Connection c = DriverManager.getConnection(pg);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
