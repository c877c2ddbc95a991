package io.olares.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.Classification;
import io.olares.secrets.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadTallyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void eachDrainCoversTheTimeSinceThePreviousOneAndResetsTheCounts() {
    ReadTally tally = new ReadTally("app", 10, T0);
    tally.count("mem://app/a/X", Classification.CREDENTIAL);
    tally.count("mem://app/a/X", Classification.CREDENTIAL);
    tally.count("mem://app/a/Y", Classification.CREDENTIAL);
    List<AuditEvent> out = new ArrayList<>();

    assertThat(tally.drain(T0.plusSeconds(1), out::add)).isEqualTo(3);
    assertThat(out)
        .extracting(AuditEvent::reference, AuditEvent::count, AuditEvent::time, AuditEvent::until)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("mem://app/a/X", 2L, T0, T0.plusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple("mem://app/a/Y", 1L, T0, T0.plusSeconds(1)));

    out.clear();
    tally.count("mem://app/a/Y", Classification.CREDENTIAL);
    assertThat(tally.drain(T0.plusSeconds(3), out::add)).isEqualTo(1);
    assertThat(out)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.time()).isEqualTo(T0.plusSeconds(1));
              assertThat(e.until()).isEqualTo(T0.plusSeconds(3));
            });
  }

  @Test
  void refusesPastItsKeyLimitWithinAWindowSoTheCallerRecordsTheReadItself() {
    ReadTally tally = new ReadTally("app", 2, T0);
    assertThat(tally.count("mem://app/a/1", Classification.CREDENTIAL)).isTrue();
    assertThat(tally.count("mem://app/a/2", Classification.CREDENTIAL)).isTrue();
    assertThat(tally.count("mem://app/a/3", Classification.CREDENTIAL)).isFalse();
    assertThat(tally.count("mem://app/a/1", Classification.CREDENTIAL)).isTrue();
    List<AuditEvent> out = new ArrayList<>();
    assertThat(tally.drain(T0.plusSeconds(1), out::add)).isEqualTo(3);
    assertThat(out)
        .extracting(AuditEvent::reference)
        .containsExactly("mem://app/a/1", "mem://app/a/2");

    assertThat(tally.count("mem://app/a/3", Classification.CREDENTIAL))
        .as("a new window has room again")
        .isTrue();
  }

  @Test
  void addsUpTheCountsOfEveryReadingThread() throws Exception {
    ReadTally tally = new ReadTally("app", 10, T0);
    Thread[] readers = new Thread[4];
    for (int t = 0; t < readers.length; t++) {
      readers[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  tally.count("mem://app/a/" + (i % 3), Classification.CREDENTIAL);
                }
              });
      readers[t].start();
    }
    for (Thread t : readers) {
      t.join();
    }
    List<AuditEvent> out = new ArrayList<>();
    assertThat(tally.drain(T0.plusSeconds(1), out::add)).isEqualTo(4000);
    assertThat(out)
        .extracting(AuditEvent::reference, AuditEvent::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mem://app/a/0", 1336L),
            org.assertj.core.groups.Tuple.tuple("mem://app/a/1", 1332L),
            org.assertj.core.groups.Tuple.tuple("mem://app/a/2", 1332L));
  }

  @Test
  void refusesAReadWhoseClassificationDiffersFromTheCountedOnes() {
    ReadTally tally = new ReadTally("app", 2, T0);
    assertThat(tally.count("mem://app/a/1", Classification.CREDENTIAL)).isTrue();
    assertThat(tally.count("mem://app/a/1", Classification.POD_SECRET)).isFalse();
    List<AuditEvent> out = new ArrayList<>();
    tally.drain(T0.plusSeconds(1), out::add);
    assertThat(out).singleElement().extracting(AuditEvent::count).isEqualTo(1L);
  }

  @Test
  void aClockThatWentBackNeverMakesATallyEndBeforeItStarts() {
    ReadTally tally = new ReadTally("app", 2, T0);
    tally.count("mem://app/a/1", Classification.CREDENTIAL);
    List<AuditEvent> out = new ArrayList<>();
    tally.drain(T0.minusSeconds(5), out::add);
    assertThat(out).singleElement().satisfies(e -> assertThat(e.until()).isEqualTo(e.time()));
  }

  @Test
  void anAuditEventForManyAccessesMustBeATally() {
    assertThatThrownBy(
            () ->
                new AuditEvent(
                    T0,
                    "app",
                    io.olares.secrets.Operation.READ,
                    "mem://app/a/1",
                    null,
                    "allow",
                    "ok",
                    java.time.Duration.ZERO,
                    2,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a tally");
    assertThatThrownBy(
            () ->
                AuditEvent.tally(
                    T0, T0.minusSeconds(1), "app", "mem://app/a/1", Classification.CREDENTIAL, 1))
        .hasMessageContaining("cannot end before it starts");
  }
}
