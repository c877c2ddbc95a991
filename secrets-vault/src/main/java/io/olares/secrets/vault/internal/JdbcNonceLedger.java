package io.olares.secrets.vault.internal;

import io.olares.secrets.approval.NonceLedger;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The vault's durable record of used approval nonces: the table {@code used_nonces} in the vault's
 * own database, so a replay is refused after a restart and by every process sharing the vault.
 * Recording is one atomic insert; a nonce already present makes the insert a no-op and the call
 * return false. Entries past their {@code forgetAfter} (when the approval has expired anyway) are
 * removed now and then. Thread-safe.
 */
public final class JdbcNonceLedger implements NonceLedger {
  /** The longest nonce accepted; anything longer is refused as if replayed. */
  public static final int MAX_NONCE_LENGTH = 256;

  private static final int PURGE_EVERY = 256;

  private final Database db;
  private final Clock clock;
  private final AtomicLong inserts = new AtomicLong();

  /** A ledger in {@code db}'s {@code used_nonces} table. */
  public JdbcNonceLedger(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public boolean markUsed(String nonce, Instant forgetAfter) {
    if (nonce == null || nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
      return false;
    }
    boolean fresh =
        db.autoCommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO used_nonces (nonce, forget_after) VALUES (?, ?)"
                          + " ON CONFLICT (nonce) DO NOTHING")) {
                ps.setString(1, nonce);
                ps.setLong(2, forgetAfter.toEpochMilli());
                return ps.executeUpdate() == 1;
              }
            });
    if (fresh && inserts.incrementAndGet() % PURGE_EVERY == 0) {
      purge();
    }
    return fresh;
  }

  /** Removes entries whose approvals have expired; returns how many. */
  public int purge() {
    long now = clock.millis();
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM used_nonces WHERE forget_after < ?")) {
            ps.setLong(1, now);
            return ps.executeUpdate();
          }
        });
  }
}
