package io.olares.secrets.policy;

import java.util.Objects;

/**
 * What the policy says about one access: allow, deny (with a reason) or approval required.
 *
 * @param verdict the outcome
 * @param reason why, in words safe to log and show
 */
public record Decision(Verdict verdict, String reason) {
  /** The three outcomes. */
  public enum Verdict {
    ALLOW,
    DENY,
    APPROVAL_REQUIRED
  }

  /** Validates. */
  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }

  /** Allowed, for {@code reason}. */
  public static Decision allow(String reason) {
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

  /** True for {@link Verdict#ALLOW}. */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }
}
