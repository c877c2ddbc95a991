package io.olares.secrets.audit;

import static io.olares.secrets.audit.AuditFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.Classification;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.Operation;
import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void writesOneJsonObjectPerLineWithTheDocumentedFieldsInOrder() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      sink.record(
          new AuditEvent(
              Instant.parse("2025-01-02T03:04:05.678Z"),
              "myapp",
              Operation.WRITE,
              "vault://personal/github#password",
              Classification.VAULT_ITEM,
              "approval_required",
              "ok",
              Duration.ofNanos(2_500_999)));
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    List<String> names = new ArrayList<>();
    line.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "time",
            "app",
            "operation",
            "reference",
            "classification",
            "decision",
            "outcome",
            "durationMicros",
            "seq",
            "prev",
            "hash");
    assertThat(line.get("time").asText()).isEqualTo("2025-01-02T03:04:05.678Z");
    assertThat(line.get("operation").asText()).isEqualTo("write");
    assertThat(line.get("reference").asText()).isEqualTo("vault://personal/github#password");
    assertThat(line.get("classification").asText()).isEqualTo("VAULT_ITEM");
    assertThat(line.get("durationMicros").asLong()).isEqualTo(2500);
    assertThat(line.get("seq").asLong()).isEqualTo(1);
    assertThat(line.get("prev").asText()).isEqualTo("0".repeat(64));
    String body = lines.get(0).substring(0, lines.get(0).indexOf(",\"hash\":")) + "}";
    assertThat(line.get("hash").asText()).isEqualTo(sha256(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void chainsEachLineToTheHashOfThePreviousLinesBytes() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      for (int i = 1; i <= 3; i++) {
        sink.record(event(i));
      }
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < 3; i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      assertThat(line.get("seq").asLong()).isEqualTo(i + 1);
      assertThat(line.get("prev").asText())
          .isEqualTo(sha256(lines.get(i - 1).getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(AuditVerifier.verify(file).ok()).isTrue();
  }

  @Test
  void reopeningAFileContinuesItsChain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      sink.record(event(1));
      sink.record(event(2));
    }
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      assertThat(sink.nextSeq()).isEqualTo(3);
      sink.record(event(3));
    }

    AuditVerifier.Result result = AuditVerifier.verify(file);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.lines()).isEqualTo(3);
  }

  @Test
  void sinksSharingOneFileKeepOneUnbrokenChain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (JsonLinesAuditSink a = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT);
        JsonLinesAuditSink b = JsonLinesAuditSink.open(file, Durability.SYNC_ON_FLUSH)) {
      List<Future<?>> done = new ArrayList<>();
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 100; i++) {
                  a.record(event(i));
                }
              }));
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 100; i++) {
                  b.record(event(1000 + i));
                  if (i % 10 == 9) {
                    b.flush();
                  }
                }
              }));
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    AuditVerifier.Result result = AuditVerifier.verify(file);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.lines()).isEqualTo(200);
  }

  @Test
  void withSyncOnFlushNothingIsWrittenBeforeTheFlush() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_ON_FLUSH)) {
      sink.record(event(1));
      sink.record(event(2));
      assertThat(Files.size(file)).isZero();

      sink.flush();

      assertThat(Files.readAllLines(file)).hasSize(2);
    }
  }

  @Test
  void refusesToBuildOnAFileWhoseLastLineWasCutOff() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      sink.record(event(1));
    }
    Files.write(
        file, "{\"time\":\"2025".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

    assertThatThrownBy(() -> JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("incomplete line");
  }

  @Test
  void createsTheFileAndItsDirectoryForTheOwnerOnly() throws Exception {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions are not supported on this file system");
    Path file = dir.resolve("new/sub/audit.jsonl");

    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      sink.record(event(1));
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void dropsEventsRecordedAfterCloseWithoutThrowing() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT);
    sink.close();

    sink.record(event(1));

    assertThat(Files.size(file)).isZero();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
