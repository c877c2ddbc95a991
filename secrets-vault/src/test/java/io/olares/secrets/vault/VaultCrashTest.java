package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills ({@code SIGKILL}) separate JVMs that write items in a loop, at random moments, and checks
 * after each kill that the vault opens, that every write a process acknowledged is there and
 * decrypts, and that no item holds anything but a whole value that was written. The short variant
 * runs in every build; the long one carries the {@code reliability} tag.
 */
class VaultCrashTest {
  @TempDir Path dir;

  @Test
  void fiveKilledWritersLoseNoAcknowledgedWriteAndLeaveNoPartialItem() throws Exception {
    killAndCheck(5, 1, new Random(5));
  }

  @Test
  void twoWritersKilledWhileWritingAtOnceLoseNothingAcknowledged() throws Exception {
    killAndCheck(2, 2, new Random(2));
  }

  @Test
  @Tag("reliability")
  void twentyFiveKilledWritersLoseNoAcknowledgedWrite() throws Exception {
    killAndCheck(25, 1, new Random(25));
  }

  @Test
  @Tag("reliability")
  void tenRoundsOfTwoConcurrentKilledWritersLoseNoAcknowledgedWrite() throws Exception {
    killAndCheck(10, 2, new Random(10));
  }

  private void killAndCheck(int rounds, int writers, Random random) throws Exception {
    TestVaults.Fixture f = TestVaults.Fixture.create(dir);
    f.close();
    Map<String, List<Integer>> acked = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      List<Writer> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        running.add(Writer.start(f.url, "r" + round + "w" + w));
      }
      for (Writer writer : running) {
        writer.awaitAcks(3 + random.nextInt(45));
        writer.kill();
        acked.put(writer.prefix, writer.acks());
      }

      f.vault = f.reopen();
      try {
        assertThat(f.vault.verifyIntegrity())
            .as("round %d: every bucket and name holds", round)
            .isPositive();
        for (Writer writer : running) {
          check(f, writer.prefix, acked.get(writer.prefix));
        }
      } finally {
        f.vault.close();
      }
    }
    assertThat(acked.values().stream().mapToInt(List::size).sum()).isGreaterThan(rounds * 3);
  }

  /** Every item of {@code prefix} holds the last acknowledged write to it, or the one in flight. */
  private static void check(TestVaults.Fixture f, String prefix, List<Integer> acks)
      throws Exception {
    int last = acks.isEmpty() ? -1 : acks.get(acks.size() - 1);
    int inFlight = last + 1;
    for (int k = 0; k < CrashWriter.KEYS; k++) {
      Integer lastAcked = null;
      for (int i : acks) {
        if (i % CrashWriter.KEYS == k) {
          lastAcked = i;
        }
      }
      String name = prefix + "/k-" + k;
      boolean present = f.vault.info(name).isPresent();
      if (lastAcked != null) {
        assertThat(present).as("acknowledged write %d to %s", lastAcked, name).isTrue();
      }
      if (!present) {
        assertThat(inFlight % CrashWriter.KEYS == k || lastAcked == null).isTrue();
        continue;
      }
      byte[] value;
      try (SecretValue v = f.vault.readField(name, null, APP, f.approve(name, Operation.READ))) {
        value = v.revealBytes();
      }
      List<byte[]> allowed = new ArrayList<>();
      if (lastAcked != null) {
        allowed.add(CrashWriter.value(prefix, lastAcked));
      }
      if (inFlight % CrashWriter.KEYS == k) {
        allowed.add(CrashWriter.value(prefix, inFlight));
      }
      assertThat(allowed)
          .as("%s holds a whole value from the last acknowledged or the in-flight write", name)
          .anySatisfy(a -> assertThat(value).isEqualTo(a));
    }
  }

  /** One writer JVM and the acknowledgements it printed. */
  private static final class Writer {
    final String prefix;
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<Integer> acks = new ArrayList<>();

    private Writer(String prefix, Process process) {
      this.prefix = prefix;
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  lines.add("IO " + e.getMessage());
                } finally {
                  lines.add("EOF");
                }
              },
              "crash-writer-" + prefix);
      reader.setDaemon(true);
      reader.start();
    }

    static Writer start(String url, String prefix) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xmx128m",
              "-XX:TieredStopAtLevel=1",
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp",
              System.getProperty("java.class.path"),
              CrashWriter.class.getName(),
              url,
              prefix);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      return new Writer(prefix, pb.start());
    }

    /** Waits until the writer acknowledged {@code n} writes (or died). */
    void awaitAcks(int n) throws InterruptedException {
      while (acks.size() < n) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("writer %s is silent", prefix).isNotNull();
        if (!consume(line)) {
          throw new AssertionError("writer " + prefix + " stopped early: " + line);
        }
      }
    }

    /** Kills the JVM with SIGKILL and collects the acknowledgements it printed before dying. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (String line; (line = lines.poll(30, TimeUnit.SECONDS)) != null; ) {
        if (!consume(line)) {
          break;
        }
      }
    }

    private boolean consume(String line) {
      if (line.startsWith("ACK ")) {
        int i = Integer.parseInt(line.substring(4));
        assertThat(i).as("acknowledgements arrive in order").isEqualTo(acks.size());
        acks.add(i);
        return true;
      }
      return line.equals("READY");
    }

    List<Integer> acks() {
      return acks;
    }
  }
}
