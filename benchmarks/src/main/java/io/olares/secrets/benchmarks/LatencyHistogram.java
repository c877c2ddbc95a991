package io.olares.secrets.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Counts of durations in nanoseconds, exact below 512 ns and in buckets of 1/256 of their power of
 * two above (0.4% wide), so that percentiles of millions of values cost a few hundred kilobytes.
 * Not thread-safe: one thread records.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 8;
  private static final int SUB = 1 << SUB_BITS;
  private static final int EXACT = 2 * SUB;

  private final long[] counts = new long[EXACT + (63 - SUB_BITS) * SUB];
  private long total;
  private long sum;
  private long max;

  /** Records one duration; negative ones count as zero. */
  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    total++;
    sum += v;
    if (v > max) {
      max = v;
    }
  }

  /** How many durations were recorded. */
  long count() {
    return total;
  }

  /** The mean in nanoseconds; 0 when empty. */
  double mean() {
    return total == 0 ? 0 : (double) sum / total;
  }

  /** The largest duration recorded. */
  long max() {
    return max;
  }

  /**
   * The duration at percentile {@code p} (0 to 100): the middle of the bucket holding the value of
   * rank ⌈p/100 × count⌉; 0 when empty.
   */
  double percentile(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(middle(i), max);
      }
    }
    return max;
  }

  /** Count, mean, percentiles and maximum, in microseconds. */
  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("count", total);
    node.put("meanUs", mean() / 1000);
    node.put("p50Us", percentile(50) / 1000);
    node.put("p90Us", percentile(90) / 1000);
    node.put("p99Us", percentile(99) / 1000);
    node.put("p999Us", percentile(99.9) / 1000);
    node.put("p9999Us", percentile(99.99) / 1000);
    node.put("maxUs", max / 1000.0);
    return node;
  }

  static int index(long v) {
    if (v < EXACT) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    int shift = exponent - SUB_BITS;
    int sub = (int) (v >>> shift) - SUB;
    return EXACT + (exponent - SUB_BITS - 1) * SUB + sub;
  }

  static double middle(int index) {
    if (index < EXACT) {
      return index;
    }
    int k = index - EXACT;
    int shift = k / SUB + 1;
    long lower = (long) (k % SUB + SUB) << shift;
    return lower + (1L << shift) / 2.0;
  }
}
