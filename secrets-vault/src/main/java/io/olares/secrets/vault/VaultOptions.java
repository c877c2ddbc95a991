package io.olares.secrets.vault;

import io.olares.secrets.approval.JwsApprovalVerifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a vault is opened: the clock, the Argon2id floor and ceiling a header must respect, the
 * approval rules, and storage limits. Immutable; build with {@link #builder()}.
 */
public final class VaultOptions {
  /** How old an approval may be: 5 minutes. */
  public static final Duration DEFAULT_APPROVAL_MAX_AGE = Duration.ofMinutes(5);

  /** How far in the future an approval's time may lie (clock skew): 30 seconds. */
  public static final Duration DEFAULT_APPROVAL_MAX_SKEW = Duration.ofSeconds(30);

  private final Clock clock;
  private final KdfParams kdfFloor;
  private final KdfParams kdfCeiling;
  private final Duration approvalMaxAge;
  private final Duration approvalMaxSkew;
  private final ApprovalVerifierFactory verifierFactory;
  private final Duration busyTimeout;
  private final int maxConnections;
  private final SecureRandom random;

  private VaultOptions(Builder b) {
    this.clock = b.clock;
    this.kdfFloor = b.kdfFloor;
    this.kdfCeiling = b.kdfCeiling;
    this.approvalMaxAge = b.approvalMaxAge;
    this.approvalMaxSkew = b.approvalMaxSkew;
    this.verifierFactory = b.verifierFactory;
    this.busyTimeout = b.busyTimeout;
    this.maxConnections = b.maxConnections;
    this.random = b.random;
  }

  /** The defaults: system UTC clock, {@link KdfParams#FLOOR}, 5-minute approvals. */
  public static VaultOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clock = clock;
    b.kdfFloor = kdfFloor;
    b.kdfCeiling = kdfCeiling;
    b.approvalMaxAge = approvalMaxAge;
    b.approvalMaxSkew = approvalMaxSkew;
    b.verifierFactory = verifierFactory;
    b.busyTimeout = busyTimeout;
    b.maxConnections = maxConnections;
    b.random = random;
    return b;
  }

  /** The clock for timestamps and approval ages. */
  public Clock clock() {
    return clock;
  }

  /** The least Argon2id cost a vault header may carry. */
  public KdfParams kdfFloor() {
    return kdfFloor;
  }

  /** The most Argon2id cost a vault header may ask for. */
  public KdfParams kdfCeiling() {
    return kdfCeiling;
  }

  /** The oldest approval accepted. */
  public Duration approvalMaxAge() {
    return approvalMaxAge;
  }

  /** How far in the future an approval's time may be. */
  public Duration approvalMaxSkew() {
    return approvalMaxSkew;
  }

  /** Builds the approval verifier. */
  public ApprovalVerifierFactory verifierFactory() {
    return verifierFactory;
  }

  /** How long a write waits for another process's write to finish. */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /** The most JDBC connections one vault opens. */
  public int maxConnections() {
    return maxConnections;
  }

  /** The source of keys, salts, nonces and item ids. */
  public SecureRandom random() {
    return random;
  }

  /** Collects options. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private KdfParams kdfFloor = KdfParams.FLOOR;
    private KdfParams kdfCeiling = KdfParams.CEILING;
    private Duration approvalMaxAge = DEFAULT_APPROVAL_MAX_AGE;
    private Duration approvalMaxSkew = DEFAULT_APPROVAL_MAX_SKEW;
    private ApprovalVerifierFactory verifierFactory = JwsApprovalVerifier::new;
    private Duration busyTimeout = Duration.ofSeconds(15);
    private int maxConnections = 4;
    private SecureRandom random = new SecureRandom();

    private Builder() {}

    /** The clock for timestamps and approval ages. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The least Argon2id cost a header may carry. Lowering it below {@link KdfParams#FLOOR} is
     * meant for tests only: it lets a downgraded header open.
     */
    public Builder kdfFloor(KdfParams value) {
      this.kdfFloor = Objects.requireNonNull(value, "kdfFloor");
      return this;
    }

    /** The most Argon2id cost a header may ask for. */
    public Builder kdfCeiling(KdfParams value) {
      this.kdfCeiling = Objects.requireNonNull(value, "kdfCeiling");
      return this;
    }

    /** The oldest approval accepted; positive. */
    public Builder approvalMaxAge(Duration value) {
      this.approvalMaxAge = positive(value, "approvalMaxAge");
      return this;
    }

    /** How far in the future an approval's time may lie; zero or positive. */
    public Builder approvalMaxSkew(Duration value) {
      Objects.requireNonNull(value, "approvalMaxSkew");
      if (value.isNegative()) {
        throw new IllegalArgumentException("approvalMaxSkew must not be negative");
      }
      this.approvalMaxSkew = value;
      return this;
    }

    /** Replaces the approval verifier (the default checks LarePass-shaped compact JWS). */
    public Builder verifierFactory(ApprovalVerifierFactory value) {
      this.verifierFactory = Objects.requireNonNull(value, "verifierFactory");
      return this;
    }

    /** How long a write waits for another writer; positive. */
    public Builder busyTimeout(Duration value) {
      this.busyTimeout = positive(value, "busyTimeout");
      return this;
    }

    /** The most JDBC connections; 1 to 64. */
    public Builder maxConnections(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("maxConnections must be 1..64, not " + value);
      }
      this.maxConnections = value;
      return this;
    }

    /** The random source (tests may seed one; production keeps the default). */
    public Builder random(SecureRandom value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** Builds the options. */
    public VaultOptions build() {
      if (!kdfCeiling.atLeast(kdfFloor)) {
        throw new IllegalArgumentException(
            "kdfCeiling " + kdfCeiling + " lies below kdfFloor " + kdfFloor);
      }
      return new VaultOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
