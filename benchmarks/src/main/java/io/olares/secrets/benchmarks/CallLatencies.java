package io.olares.secrets.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Every measured provider call of one benchmark thread, sorted by whether a token renewal was in
 * progress at any moment of it (by the counts of a {@link TokenScheduler}), each with two
 * durations: the whole call, and the client's work before its request reaches OkHttp's interceptors
 * (building the URL and body, taking the token, signing the header, starting the call). A call that
 * waited for a renewal would show the wait in that second duration.
 *
 * <p>Also counts, from the JVM's thread statistics, how often the benchmark thread blocked on a
 * monitor or waited (parked, {@code Object.wait}) between the start and the end of each measurement
 * iteration: a call that waited for a token fetch, or for a lock held by the renewal, counts there
 * whatever its duration, so a zero proves that no call waited, independent of the machine's noise.
 *
 * <p>Records only during JMH's measurement iterations. One benchmark thread, which also runs the
 * iteration fixtures: the arrival mark is a plain field written and read on the calling thread.
 */
final class CallLatencies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenScheduler scheduler;
  private final LatencyHistogram duringRenewal = new LatencyHistogram();
  private final LatencyHistogram outsideRenewal = new LatencyHistogram();
  private final LatencyHistogram beforeExchangeDuring = new LatencyHistogram();
  private final LatencyHistogram beforeExchangeOutside = new LatencyHistogram();
  private boolean measuring;
  private long measuredNanos;
  private long iterationStart;
  private long renewalsAtStart = -1;
  private long busyAtStart;
  private long renewalsMeasured;
  private long busyMeasured;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long blockedAtStart;
  private long waitedAtStart;
  private long blockedMeasured;
  private long waitedMeasured;
  private long measuredIterations;

  private long arrival;
  private long finishedBefore;
  private long startedBefore;
  private long startNanos;

  CallLatencies(TokenScheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * An application interceptor that marks when a provider call's request reaches OkHttp; placed
   * first, so its mark ends the client's own work before the exchange. Token requests (on the
   * scheduler's thread) are not marked.
   */
  Interceptor arrivalMark() {
    return chain -> {
      if (chain.request().header("X-Access-Token") != null) {
        arrival = System.nanoTime();
      }
      return proceed(chain);
    };
  }

  private static Response proceed(Interceptor.Chain chain) throws IOException {
    return chain.proceed(chain.request());
  }

  /** Starts an iteration; records only in a measurement iteration. Call on the benchmark thread. */
  void startIteration(boolean measurement) {
    measuring = measurement;
    if (measurement) {
      ThreadInfo info = threads.getThreadInfo(Thread.currentThread().getId());
      blockedAtStart = info.getBlockedCount();
      waitedAtStart = info.getWaitedCount();
      renewalsAtStart = scheduler.started();
      busyAtStart = scheduler.busyNanos();
      iterationStart = System.nanoTime();
    }
  }

  /** Ends an iteration. Call on the benchmark thread. */
  void endIteration() {
    if (!measuring) {
      return;
    }
    measuredNanos += System.nanoTime() - iterationStart;
    ThreadInfo info = threads.getThreadInfo(Thread.currentThread().getId());
    blockedMeasured += info.getBlockedCount() - blockedAtStart;
    waitedMeasured += info.getWaitedCount() - waitedAtStart;
    renewalsMeasured += scheduler.started() - renewalsAtStart;
    busyMeasured += scheduler.busyNanos() - busyAtStart;
    measuredIterations++;
    measuring = false;
  }

  /** Marks the start of a call. */
  void begin() {
    finishedBefore = scheduler.finished();
    startedBefore = scheduler.started();
    startNanos = System.nanoTime();
  }

  /** Records the call begun by {@link #begin()}. */
  void end() {
    long end = System.nanoTime();
    boolean overlapped = startedBefore != finishedBefore || scheduler.started() != startedBefore;
    if (!measuring) {
      return;
    }
    long before = arrival - startNanos;
    if (overlapped) {
      duringRenewal.record(end - startNanos);
      beforeExchangeDuring.record(before);
    } else {
      outsideRenewal.record(end - startNanos);
      beforeExchangeOutside.record(before);
    }
  }

  /**
   * Writes the histograms' figures, the measured time and the renewals (tasks on the token
   * scheduler) during it to {@code name} in the results directory.
   */
  void write(String name, ObjectNode extra) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.setAll(extra);
    out.put("measuredIterations", measuredIterations);
    out.put("measuredSeconds", measuredNanos / 1e9);
    out.put("benchmarkThreadBlocked", blockedMeasured);
    out.put("benchmarkThreadWaited", waitedMeasured);
    out.put("renewalsDuringMeasurement", renewalsMeasured);
    out.put("renewalBusySeconds", busyMeasured / 1e9);
    out.set("duringRenewal", duringRenewal.toJson());
    out.set("outsideRenewal", outsideRenewal.toJson());
    out.set("beforeExchangeDuringRenewal", beforeExchangeDuring.toJson());
    out.set("beforeExchangeOutsideRenewal", beforeExchangeOutside.toJson());
    Results.write(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }
}
