package io.olares.secrets.vault;

import io.olares.secrets.approval.ApprovalVerifier;
import io.olares.secrets.approval.NonceLedger;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds the verifier a vault checks approvals with, from what only the vault has: its trusted DIDs
 * (read and authenticated on every call) and its durable nonce ledger.
 */
@FunctionalInterface
public interface ApprovalVerifierFactory {
  /** Creates a verifier; called once when the vault opens. */
  ApprovalVerifier create(
      Supplier<Set<String>> trustedDids,
      NonceLedger ledger,
      Clock clock,
      Duration maxAge,
      Duration maxSkew);
}
