package io.olares.secrets.audit;

import static io.olares.secrets.audit.AuditFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncAuditSinkTest {
  @TempDir Path dir;

  @Test
  void closeDrainsEveryEventFromManyThreadsIntoAnUnbrokenChain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AsyncAuditSink sink = JsonLinesAuditSink.openAsync(file);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 250; i++) {
                  sink.record(event(base + i));
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    sink.close();

    AuditVerifier.Result result = AuditVerifier.verify(file);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.lines()).isEqualTo(1000);
  }

  @Test
  void flushWaitsUntilEarlierEventsAreOnDisk() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (AsyncAuditSink sink = JsonLinesAuditSink.openAsync(file)) {
      for (int i = 0; i < 10; i++) {
        sink.record(event(i));
      }

      sink.flush();

      assertThat(Files.readAllLines(file)).hasSize(10);
    }
  }

  @Test
  void aFullQueueMakesTheCallerWaitInsteadOfLosingEvents() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<AuditEvent> written = new CopyOnWriteArrayList<>();
    AuditSink slow =
        event -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          written.add(event);
        };
    AsyncAuditSink sink = new AsyncAuditSink(slow, 2);
    ExecutorService producer = Executors.newSingleThreadExecutor();
    Future<?> producing =
        producer.submit(
            () -> {
              for (int i = 0; i < 20; i++) {
                sink.record(event(i));
              }
            });

    assertThat(producing.isDone()).isFalse();
    gate.countDown();
    producing.get(30, TimeUnit.SECONDS);
    producer.shutdown();
    sink.close();

    assertThat(written).hasSize(20);
    assertThat(written.get(19)).isEqualTo(event(19));
  }

  @Test
  void closesItsDelegateAndDropsLaterEvents() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditSink delegate = JsonLinesAuditSink.open(file, Durability.SYNC_ON_FLUSH);
    AsyncAuditSink sink = new AsyncAuditSink(delegate, 16);
    sink.record(event(1));
    sink.close();
    sink.close();

    sink.record(event(2));
    delegate.record(event(3));

    assertThat(Files.readAllLines(file)).hasSize(1);
  }
}
