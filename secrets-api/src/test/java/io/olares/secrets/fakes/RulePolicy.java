package io.olares.secrets.fakes;

import io.olares.secrets.Classification;
import io.olares.secrets.policy.AccessRequest;
import io.olares.secrets.policy.Decision;
import io.olares.secrets.policy.Policy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small policy for facade tests: vault items need an approval, references whose container is
 * {@code forbidden} are denied, everything else is allowed. It records every request it saw.
 */
public final class RulePolicy implements Policy {
  public final List<AccessRequest> seen = new CopyOnWriteArrayList<>();

  @Override
  public Decision decide(AccessRequest request) {
    seen.add(request);
    if (request.ref().container().equals("forbidden")) {
      return Decision.deny("container 'forbidden' is closed to " + request.app());
    }
    if (request.resource().classification() == Classification.VAULT_ITEM
        && (request.operation() == io.olares.secrets.Operation.READ
            || request.operation() == io.olares.secrets.Operation.SIGN)) {
      return Decision.approvalRequired("vault items need an approval per use");
    }
    return Decision.allow("allowed by the test policy");
  }
}
