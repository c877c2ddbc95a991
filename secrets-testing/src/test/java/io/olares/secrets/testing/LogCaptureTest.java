package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogCaptureTest {
  private static final Logger LOG = LoggerFactory.getLogger(LogCaptureTest.class);
  private static final java.util.logging.Logger JUL =
      java.util.logging.Logger.getLogger("io.olares.secrets.testing.jul");

  @Test
  void slf4jLinesAtEveryEnabledLevelAreCaptured() throws Exception {
    String marker = marker();

    String logged =
        LogCapture.capture(
            () -> {
              LOG.trace("trace {}", marker + "-t");
              LOG.debug("debug {}", marker + "-d");
              LOG.warn("warn {}", marker + "-w");
            });

    assertThat(logged).contains(marker + "-t", marker + "-d", marker + "-w");
  }

  @Test
  void julRecordsAreCapturedWithParametersAndStackTracesEvenBelowTheDefaultLevel()
      throws Exception {
    String marker = marker();

    String logged =
        LogCapture.capture(
            () -> {
              JUL.log(Level.FINEST, "finest {0}", marker + "-p");
              JUL.log(Level.WARNING, "failed", new IllegalStateException(marker + "-x"));
            });

    assertThat(logged).contains("finest " + marker + "-p", marker + "-x", "LogCaptureTest");
  }

  @Test
  void strayPrintsToEitherStandardStreamAreCaptured() throws Exception {
    String marker = marker();

    String logged =
        LogCapture.capture(
            () -> {
              System.out.println(marker + "-out");
              System.err.print(marker + "-err");
            });

    assertThat(logged).contains(marker + "-out", marker + "-err");
  }

  @Test
  void nonAsciiTextSurvivesTheCapture() throws Exception {
    String text = "caf\u00e9 \u4f60\u597d \ud83d\udd11 " + marker();

    String logged = LogCapture.capture(() -> LOG.info("{}", text));

    assertThat(logged).contains(text);
  }

  @Test
  void linesLoggedByOtherThreadsDuringTheBlockAreCaptured() throws Exception {
    String marker = marker();

    String logged =
        LogCapture.capture(
            () -> {
              Thread other = new Thread(() -> LOG.info("from another thread {}", marker));
              other.start();
              other.join();
            });

    assertThat(logged).contains(marker);
  }

  @Test
  void theStreamsAndTheRootLevelAreRestoredAfterwardsEvenWhenTheBlockThrows() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    Level level = root.getLevel();
    int handlers = root.getHandlers().length;

    assertThatThrownBy(
            () ->
                LogCapture.capture(
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");

    assertThat(System.out).isSameAs(out);
    assertThat(System.err).isSameAs(err);
    assertThat(root.getLevel()).isEqualTo(level);
    assertThat(root.getHandlers()).hasSize(handlers);
  }

  @Test
  void nothingLoggedAfterTheBlockIsCaptured() throws Exception {
    String before = marker();
    String after = marker();
    LOG.info("before {}", before);

    String logged = LogCapture.capture(() -> LOG.info("inside"));
    LOG.info("after {}", after);

    assertThat(logged).contains("inside").doesNotContain(before).doesNotContain(after);
  }

  @Test
  void nestedCapturesBothSeeTheInnerBlock() throws Exception {
    String marker = marker();
    List<String> inner = new ArrayList<>();

    String outer = LogCapture.capture(() -> inner.add(LogCapture.capture(() -> LOG.info(marker))));

    assertThat(inner.get(0)).contains(marker);
    assertThat(outer).contains(marker);
  }

  @Test
  void parallelCapturesEachSeeTheirOwnLines() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch allInside = new CountDownLatch(threads);
      List<Future<String>> results = new ArrayList<>();
      List<String> markers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String marker = marker();
        markers.add(marker);
        results.add(
            pool.submit(
                () ->
                    LogCapture.capture(
                        () -> {
                          allInside.countDown();
                          allInside.await(30, TimeUnit.SECONDS);
                          LOG.info("parallel {}", marker);
                        })));
      }
      for (int i = 0; i < threads; i++) {
        assertThat(results.get(i).get(60, TimeUnit.SECONDS)).contains(markers.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void textOutsideATestMethodIsAnError() {
    LogCapture unregistered = new LogCapture();

    assertThatThrownBy(unregistered::text)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only while a test method runs");
  }

  static String marker() {
    return "marker-" + UUID.randomUUID();
  }
}
