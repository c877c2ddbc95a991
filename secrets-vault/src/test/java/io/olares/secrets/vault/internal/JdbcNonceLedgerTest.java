package io.olares.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.vault.MutableClock;
import io.olares.secrets.vault.TestVaults;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcNonceLedgerTest {
  @TempDir Path dir;

  @Test
  void aNonceIsNewOnceAndStaysUsedUntilItsApprovalHasExpired() {
    MutableClock clock = MutableClock.standing();
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir);
        Database db = Database.connect(f.url, false, Duration.ofSeconds(5), 2)) {
      JdbcNonceLedger ledger = new JdbcNonceLedger(db, clock);

      assertThat(ledger.markUsed("n1", clock.instant().plusSeconds(60))).isTrue();
      assertThat(ledger.markUsed("n1", clock.instant().plusSeconds(60))).isFalse();
      assertThat(ledger.markUsed("n2", clock.instant().plusSeconds(600))).isTrue();

      clock.advance(Duration.ofSeconds(61));
      assertThat(ledger.purge()).isEqualTo(1);
      assertThat(ledger.markUsed("n2", clock.instant().plusSeconds(60))).isFalse();
    }
  }

  @Test
  void emptyOrOverlongNoncesAreNeverAccepted() {
    MutableClock clock = MutableClock.standing();
    try (TestVaults.Fixture f = TestVaults.Fixture.create(dir);
        Database db = Database.connect(f.url, false, Duration.ofSeconds(5), 2)) {
      JdbcNonceLedger ledger = new JdbcNonceLedger(db, clock);

      assertThat(ledger.markUsed("", clock.instant())).isFalse();
      assertThat(ledger.markUsed("x".repeat(257), clock.instant())).isFalse();
      assertThat(ledger.markUsed("x".repeat(256), clock.instant())).isTrue();
    }
  }
}
