package io.olares.secrets.vault;

/**
 * Argon2id cost parameters (RFC 9106): memory in KiB, passes over memory, and lanes. They are
 * stored in the vault header, authenticated, and checked against a floor before any key is derived,
 * so a header whose parameters were lowered does not open.
 *
 * @param memoryKib memory in KiB; at least 8 per lane
 * @param iterations passes over memory; at least 1
 * @param parallelism lanes; 1 to 255
 */
public record KdfParams(int memoryKib, int iterations, int parallelism) {
  /** The floor every vault must meet: 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id). */
  public static final KdfParams FLOOR = new KdfParams(19 * 1024, 2, 1);

  /** What a new vault uses unless told otherwise: 64 MiB, 3 passes, 1 lane. */
  public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);

  /**
   * The ceiling a header may not exceed (4 GiB, 64 passes, 64 lanes): a header raised beyond it
   * would only make opening exhaust memory or time.
   */
  public static final KdfParams CEILING = new KdfParams(4 * 1024 * 1024, 64, 64);

  /** Validates the ranges Argon2 itself imposes. */
  public KdfParams {
    if (parallelism < 1 || parallelism > 255) {
      throw new IllegalArgumentException("Argon2id parallelism must be 1..255, not " + parallelism);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("Argon2id iterations must be at least 1");
    }
    if (memoryKib < 8 * parallelism) {
      throw new IllegalArgumentException(
          "Argon2id memory must be at least 8 KiB per lane (" + 8 * parallelism + " KiB)");
    }
  }

  /** True where every parameter is at least the floor's. */
  public boolean atLeast(KdfParams floor) {
    return memoryKib >= floor.memoryKib
        && iterations >= floor.iterations
        && parallelism >= floor.parallelism;
  }

  /** True where no parameter exceeds the ceiling's. */
  public boolean atMost(KdfParams ceiling) {
    return memoryKib <= ceiling.memoryKib
        && iterations <= ceiling.iterations
        && parallelism <= ceiling.parallelism;
  }

  /** The short form used in messages and the CLI: {@code m=65536KiB,t=3,p=1}. */
  @Override
  public String toString() {
    return "m=" + memoryKib + "KiB,t=" + iterations + ",p=" + parallelism;
  }
}
