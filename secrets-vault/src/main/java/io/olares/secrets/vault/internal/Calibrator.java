package io.olares.secrets.vault.internal;

import io.olares.secrets.vault.KdfParams;
import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * Picks Argon2id parameters that take about a target time on this machine: starting at the floor,
 * it grows memory (up to a cap) and then passes, re-measuring after each step. Memory comes first
 * because it is what makes guessing on GPUs expensive. The measuring function is a parameter so
 * that the search can be tested without a stopwatch.
 */
public final class Calibrator {
  private static final int MAX_STEPS = 6;

  private Calibrator() {}

  /**
   * The parameters for {@code target}.
   *
   * @param target the unlock time wanted
   * @param floor the least parameters (returned where even they take longer than the target)
   * @param memoryCapKib the most memory to use
   * @param maxIterations the most passes to use
   * @param measureNanos how long one derivation with the given parameters takes, in nanoseconds
   */
  public static KdfParams calibrate(
      Duration target,
      KdfParams floor,
      int memoryCapKib,
      int maxIterations,
      ToLongFunction<KdfParams> measureNanos) {
    if (target.isNegative() || target.isZero()) {
      throw new IllegalArgumentException("calibration target must be positive");
    }
    long goal = target.toNanos();
    int cap = Math.max(memoryCapKib, floor.memoryKib());
    KdfParams p = floor;
    for (int step = 0; step < MAX_STEPS; step++) {
      long took = Math.max(1, measureNanos.applyAsLong(p));
      if (took >= goal * 9 / 10) {
        return p;
      }
      double scale = (double) goal / took;
      if (p.memoryKib() < cap) {
        long grown = (long) Math.ceil(p.memoryKib() * scale);
        int memory = (int) Math.min(cap, roundUpToMib(grown));
        p = new KdfParams(Math.max(memory, p.memoryKib()), p.iterations(), p.parallelism());
      } else if (p.iterations() < maxIterations) {
        int passes = (int) Math.min(maxIterations, Math.ceil(p.iterations() * scale));
        p = new KdfParams(p.memoryKib(), Math.max(passes, p.iterations() + 1), p.parallelism());
      } else {
        return p;
      }
    }
    return p;
  }

  private static long roundUpToMib(long kib) {
    return (kib + 1023) / 1024 * 1024;
  }
}
