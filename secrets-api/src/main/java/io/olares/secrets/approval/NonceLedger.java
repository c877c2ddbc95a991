package io.olares.secrets.approval;

import java.time.Instant;

/**
 * Remembers which approval nonces were used, so that no approval is accepted twice. A store that
 * must resist replay across restarts keeps the ledger durably. Thread-safe.
 */
@FunctionalInterface
public interface NonceLedger {
  /**
   * Records {@code nonce} as used, atomically.
   *
   * @param nonce the approval's nonce
   * @param forgetAfter when the entry may be dropped (the approval is expired by then anyway)
   * @return true where the nonce was new; false where it had been used before
   */
  boolean markUsed(String nonce, Instant forgetAfter);
}
