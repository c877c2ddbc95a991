package io.olares.secrets.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the hash chain of a file written by {@link JsonLinesAuditSink} and names the first line
 * where it breaks.
 *
 * <p>Every line must be complete (end with a line feed), be a JSON object, end with a {@code hash}
 * member equal to the SHA-256 of the line without that member, carry {@code seq} one higher than
 * the line before (1 for the first), and carry in {@code prev} the SHA-256 of the previous line's
 * bytes (64 zeros for the first). So an edited line fails its own hash; a deleted, repeated or
 * moved line breaks the sequence; a line rewritten together with its hash breaks the next line's
 * {@code prev}; a line cut off loses its line end.
 *
 * <p>What no chain can show by itself is the removal of whole lines at the very end. {@link
 * Result#lastHash()} is the hash of the last line: keep it elsewhere (or compare line counts) to
 * detect that too.
 */
public final class AuditVerifier {
  /** The longest line read; longer ones are reported as malformed. */
  public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What is wrong at the first broken line. */
  public enum Problem {
    /** The line has no line end: the file was cut off, or a write was interrupted. */
    TRUNCATED,
    /** The line is not a JSON object with the chain fields, or is too long. */
    MALFORMED,
    /** The line's content does not match its own hash: it was edited. */
    EDITED,
    /** Lines are missing before this one: its {@code seq} jumps ahead. */
    MISSING_LINES,
    /** Lines were moved or repeated: this one's {@code seq} is out of order. */
    OUT_OF_ORDER,
    /** The line's {@code prev} does not match the line before it: that line was replaced. */
    BROKEN_CHAIN
  }

  /**
   * The outcome of a verification.
   *
   * @param ok true where every line holds
   * @param lines how many lines the file has (a final partial line counts)
   * @param firstBrokenLine the 1-based number of the first broken line; 0 where ok
   * @param problem what is wrong there; null where ok
   * @param reason a sentence saying what is wrong there; empty where ok
   * @param lastHash the hash of the last line that held (64 zeros for an empty file)
   */
  public record Result(
      boolean ok,
      long lines,
      long firstBrokenLine,
      Problem problem,
      String reason,
      String lastHash) {

    /** One line for people: "audit chain verified (N lines)" or where and why it broke. */
    public String describe() {
      return ok
          ? "audit chain verified (" + lines + (lines == 1 ? " line)" : " lines)")
          : "audit chain broken at " + reason;
    }
  }

  private AuditVerifier() {}

  /**
   * Verifies {@code file}.
   *
   * @throws IOException where the file cannot be read
   */
  public static Result verify(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return new Run(in).verify();
    }
  }

  /** One verification pass over a stream. */
  private static final class Run {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private boolean terminated;
    private boolean tooLong;

    private long lineNo;
    private long expectedSeq = 1;
    private String prev = AuditLines.ZERO_HASH;
    private long brokenAt;
    private Problem problem;
    private String reason = "";
    private long jumpSeq = -1;
    private long lookingForSeq = -1;
    private long foundAt = -1;

    Run(InputStream in) {
      this.in = in;
    }

    Result verify() throws IOException {
      byte[] line;
      while ((line = readLine()) != null) {
        lineNo++;
        if (problem == null && jumpSeq < 0) {
          check(line);
        } else if (lookingForSeq > 0 && foundAt < 0 && seqOf(line) == lookingForSeq) {
          foundAt = lineNo;
        }
      }
      if (jumpSeq > 0) {
        if (foundAt > 0) {
          fail(
              Problem.OUT_OF_ORDER,
              "it holds seq "
                  + jumpSeq
                  + " where seq "
                  + lookingForSeq
                  + " belongs, which is at line "
                  + foundAt
                  + ": lines were reordered");
        } else {
          long gap = jumpSeq - lookingForSeq;
          fail(
              Problem.MISSING_LINES,
              "it holds seq "
                  + jumpSeq
                  + " where seq "
                  + lookingForSeq
                  + " belongs: "
                  + gap
                  + (gap == 1 ? " line was" : " lines were")
                  + " deleted before it");
        }
      }
      return problem == null
          ? new Result(true, lineNo, 0, null, "", prev)
          : new Result(false, lineNo, brokenAt, problem, reason, prev);
    }

    private void check(byte[] line) {
      if (tooLong) {
        brokenAt = lineNo;
        fail(Problem.MALFORMED, "it is longer than " + MAX_LINE_BYTES + " bytes");
        return;
      }
      if (!terminated) {
        brokenAt = lineNo;
        fail(Problem.TRUNCATED, "it has no line end: the file was cut off or a write interrupted");
        return;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (IOException e) {
        node = null;
      }
      if (node == null || !node.isObject()) {
        brokenAt = lineNo;
        fail(Problem.MALFORMED, "it is not a JSON object");
        return;
      }
      String claimed = AuditLines.claimedHash(line);
      JsonNode hashField = node.get("hash");
      if (claimed == null || hashField == null || !claimed.equals(hashField.asText())) {
        brokenAt = lineNo;
        fail(Problem.MALFORMED, "it does not end with a \"hash\" member of 64 hex digits");
        return;
      }
      if (!AuditLines.bodyHash(line).equals(claimed)) {
        brokenAt = lineNo;
        fail(Problem.EDITED, "its content does not match its hash: it was edited");
        return;
      }
      JsonNode seqField = node.get("seq");
      JsonNode prevField = node.get("prev");
      if (seqField == null || !seqField.isIntegralNumber() || seqField.asLong() < 1) {
        brokenAt = lineNo;
        fail(Problem.MALFORMED, "it has no positive integer \"seq\"");
        return;
      }
      if (prevField == null || !AuditLines.isHex64(prevField.asText())) {
        brokenAt = lineNo;
        fail(Problem.MALFORMED, "it has no \"prev\" of 64 hex digits");
        return;
      }
      long seq = seqField.asLong();
      if (seq > expectedSeq) {
        brokenAt = lineNo;
        jumpSeq = seq;
        lookingForSeq = expectedSeq;
        return;
      }
      if (seq < expectedSeq) {
        brokenAt = lineNo;
        fail(
            Problem.OUT_OF_ORDER,
            "it holds seq "
                + seq
                + " where seq "
                + expectedSeq
                + " belongs: a line was repeated or lines were reordered");
        return;
      }
      if (!prevField.asText().equals(prev)) {
        brokenAt = lineNo;
        fail(
            Problem.BROKEN_CHAIN,
            lineNo == 1
                ? "it is the first line but its prev is not 64 zeros: the chain's start is gone"
                : "its prev is not the hash of line "
                    + (lineNo - 1)
                    + ": that line was replaced (with a recomputed hash) or this one altered");
        return;
      }
      prev = AuditLines.sha256Hex(line, line.length);
      expectedSeq++;
    }

    private void fail(Problem p, String why) {
      problem = p;
      reason = "line " + brokenAt + ": " + why;
    }

    /** A lenient read of {@code seq}, for the look-ahead after a jump; -1 where unreadable. */
    private long seqOf(byte[] line) {
      try {
        JsonNode node = MAPPER.readTree(line);
        JsonNode seq = node == null ? null : node.get("seq");
        return seq != null && seq.isIntegralNumber() ? seq.asLong() : -1;
      } catch (IOException e) {
        return -1;
      }
    }

    /** The next line without its line feed, or null at the end. */
    private byte[] readLine() throws IOException {
      buffer.reset();
      terminated = false;
      tooLong = false;
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (b == '\n') {
          terminated = true;
          break;
        }
        if (buffer.size() < MAX_LINE_BYTES) {
          buffer.write(b);
        } else {
          tooLong = true;
        }
      }
      return any ? buffer.toByteArray() : null;
    }
  }
}
