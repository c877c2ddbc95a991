package io.olares.secrets.audit;

import static io.olares.secrets.audit.AuditFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.audit.AuditVerifier.Problem;
import io.olares.secrets.audit.AuditVerifier.Result;
import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path file;
  private List<String> lines;

  @BeforeEach
  void writeSixLines() throws Exception {
    file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, Durability.SYNC_EACH_EVENT)) {
      for (int i = 1; i <= 6; i++) {
        sink.record(event(i));
      }
    }
    lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  @Test
  void anUntouchedFileVerifies() throws Exception {
    Result result = AuditVerifier.verify(file);

    assertThat(result.ok()).isTrue();
    assertThat(result.lines()).isEqualTo(6);
    assertThat(result.firstBrokenLine()).isZero();
    assertThat(result.lastHash())
        .isEqualTo(JsonLinesAuditSinkTest.sha256(lines.get(5).getBytes(StandardCharsets.UTF_8)));
    assertThat(result.describe()).isEqualTo("audit chain verified (6 lines)");
  }

  @Test
  void anEmptyFileVerifiesWithNoLines() throws Exception {
    Files.write(file, new byte[0]);

    Result result = AuditVerifier.verify(file);

    assertThat(result.ok()).isTrue();
    assertThat(result.lines()).isZero();
  }

  @Test
  void pinpointsAnEditedLine() throws Exception {
    lines.set(2, lines.get(2).replace("\"outcome\":\"ok\"", "\"outcome\":\"denied\""));
    rewrite();

    assertBroken(3, Problem.EDITED);
  }

  @Test
  void pinpointsADeletedLine() throws Exception {
    lines.remove(2);
    rewrite();

    Result result = assertBroken(3, Problem.MISSING_LINES);
    assertThat(result.reason()).contains("1 line was deleted");
  }

  @Test
  void pinpointsADeletedFirstLine() throws Exception {
    lines.remove(0);
    rewrite();

    assertBroken(1, Problem.MISSING_LINES);
  }

  @Test
  void pinpointsSwappedLines() throws Exception {
    Collections.swap(lines, 2, 3);
    rewrite();

    Result result = assertBroken(3, Problem.OUT_OF_ORDER);
    assertThat(result.reason()).contains("at line 4");
  }

  @Test
  void pinpointsARepeatedLine() throws Exception {
    lines.add(2, lines.get(1));
    rewrite();

    assertBroken(3, Problem.OUT_OF_ORDER);
  }

  @Test
  void pinpointsATruncatedLastLine() throws Exception {
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 20));

    Result result = assertBroken(6, Problem.TRUNCATED);
    assertThat(result.lines()).isEqualTo(6);
  }

  @Test
  void aMissingFinalLineEndCountsAsTruncation() throws Exception {
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 1));

    assertBroken(6, Problem.TRUNCATED);
  }

  @Test
  void pinpointsALineThatIsNotJson() throws Exception {
    lines.set(1, "not json at all");
    rewrite();

    assertBroken(2, Problem.MALFORMED);
  }

  @Test
  void pinpointsALineWithoutItsHash() throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(lines.get(3));
    node.remove("hash");
    lines.set(3, JSON.writeValueAsString(node));
    rewrite();

    assertBroken(4, Problem.MALFORMED);
  }

  @Test
  void aLineRewrittenWithARecomputedHashBreaksTheNextLinesPrev() throws Exception {
    String edited = lines.get(2).replace("\"outcome\":\"ok\"", "\"outcome\":\"denied\"");
    String body = edited.substring(0, edited.indexOf(",\"hash\":")) + "}";
    String rehashed =
        body.substring(0, body.length() - 1)
            + ",\"hash\":\""
            + JsonLinesAuditSinkTest.sha256(body.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    lines.set(2, rehashed);
    rewrite();

    Result result = assertBroken(4, Problem.BROKEN_CHAIN);
    assertThat(result.reason()).contains("line 3");
  }

  @Test
  void reportsOnlyTheFirstBreak() throws Exception {
    lines.set(4, lines.get(4).replace("myapp", "other"));
    lines.set(1, lines.get(1).replace("myapp", "other"));
    rewrite();

    assertBroken(2, Problem.EDITED);
  }

  private Result assertBroken(long line, Problem problem) throws Exception {
    Result result = AuditVerifier.verify(file);
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBrokenLine()).as(result.describe()).isEqualTo(line);
    assertThat(result.problem()).as(result.describe()).isEqualTo(problem);
    assertThat(result.describe())
        .startsWith("audit chain broken at line " + line + ": ")
        .doesNotContain(": line " + line + ":");
    return result;
  }

  private void rewrite() throws Exception {
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
