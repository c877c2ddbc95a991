package io.olares.secrets.policy;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the policy says about one access: allow, deny (with a reason) or approval required.
 *
 * <p>The reason may be given as text or as a function that builds it: a policy decides on every
 * read, cached reads included, and most reasons are never looked at, so building them only when
 * {@link #reason()} is first called keeps the allowed path cheap. The built text is kept. Two
 * decisions are equal when their verdicts and reasons are. Immutable and thread-safe, as long as
 * the reason function is.
 */
public final class Decision {
  /** The three outcomes. */
  public enum Verdict {
    ALLOW,
    DENY,
    APPROVAL_REQUIRED
  }

  private final Verdict verdict;
  private final Supplier<String> builder;
  private volatile String reason;

  /**
   * A decision with its reason.
   *
   * @param verdict the outcome
   * @param reason why, in words safe to log and show
   */
  public Decision(Verdict verdict, String reason) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.builder = null;
  }

  private Decision(Verdict verdict, Supplier<String> builder) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.builder = Objects.requireNonNull(builder, "reason");
  }

  /** Allowed, for {@code reason}. */
  public static Decision allow(String reason) {
    return new Decision(Verdict.ALLOW, reason);
  }

  /** Allowed, for the reason {@code reason} builds when it is first asked for. */
  public static Decision allow(Supplier<String> reason) {
    return new Decision(Verdict.ALLOW, reason);
  }

  /** Denied, for {@code reason}. */
  public static Decision deny(String reason) {
    return new Decision(Verdict.DENY, reason);
  }

  /** Allowed once the user signs, for {@code reason}. */
  public static Decision approvalRequired(String reason) {
    return new Decision(Verdict.APPROVAL_REQUIRED, reason);
  }

  /** The outcome. */
  public Verdict verdict() {
    return verdict;
  }

  /**
   * Why, in words safe to log and show (built on the first call where the policy gave a function).
   *
   * @throws NullPointerException where the policy's reason function returns null
   */
  public String reason() {
    String r = reason;
    if (r == null) {
      synchronized (this) {
        r = reason;
        if (r == null) {
          r = Objects.requireNonNull(builder.get(), "the policy's reason function returned null");
          reason = r;
        }
      }
    }
    return r;
  }

  /** True for {@link Verdict#ALLOW}. */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Decision
        && ((Decision) o).verdict == verdict
        && ((Decision) o).reason().equals(reason());
  }

  @Override
  public int hashCode() {
    return 31 * verdict.hashCode() + reason().hashCode();
  }

  @Override
  public String toString() {
    return "Decision[verdict=" + verdict + ", reason=" + reason() + "]";
  }
}
