package io.olares.secrets.fakes;

import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.ApprovalRejectedException.Reason;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.ApprovalVerifier;
import io.olares.secrets.approval.Approver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for device-key approvals: the "signature" is a tag over the request's challenge, the
 * verifier recomputes it from the expected request and refuses a nonce it has seen. It follows the
 * protocol's shape (challenge binding, single use) without the cryptography.
 */
public final class FakeApprovals {
  private FakeApprovals() {}

  public static String signatureFor(ApprovalRequest request) {
    return "signed:" + request.challenge();
  }

  /** Signs everything it is asked to, and remembers the requests. */
  public static final class SigningApprover implements Approver {
    public final List<ApprovalRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public Approval approve(ApprovalRequest request) {
      requests.add(request);
      return new Approval(request, signatureFor(request));
    }
  }

  /** Accepts an approval whose tag matches the expected request's challenge, once per nonce. */
  public static final class TagVerifier implements ApprovalVerifier {
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    public final List<ApprovalRequest> expected = new CopyOnWriteArrayList<>();

    @Override
    public void verify(Approval approval, ApprovalRequest expectedRequest) {
      expected.add(expectedRequest);
      if (!signatureFor(expectedRequest).equals(approval.jws())) {
        throw new ApprovalRejectedException(
            Reason.WRONG_CHALLENGE, "the approval was signed for another request");
      }
      if (!used.add(expectedRequest.nonce())) {
        throw new ApprovalRejectedException(Reason.REPLAYED, "the approval was used before");
      }
    }
  }
}
