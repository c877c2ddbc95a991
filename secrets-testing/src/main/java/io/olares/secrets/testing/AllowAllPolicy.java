package io.olares.secrets.testing;

import io.olares.secrets.policy.AccessRequest;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.policy.Policy;

/**
 * A policy that allows every access, for tests of code that uses secrets where policy is not what
 * is being tested. Never use it outside tests: it lifts every rule, including approval per use.
 */
public final class AllowAllPolicy implements Policy {
  /** Creates the policy. */
  public AllowAllPolicy() {}

  @Override
  public Decision decide(AccessRequest request) {
    return Decision.allow("every access is allowed in this test");
  }

  @Override
  public String toString() {
    return "AllowAllPolicy";
  }
}
