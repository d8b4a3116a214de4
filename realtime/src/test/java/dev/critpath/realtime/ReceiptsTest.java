package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ReceiptsTest {
  private static MessageLog.Sent sent(int seq) {
    return new MessageLog.Sent(
        seq, 0, OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(seq), 0);
  }

  @Test
  void aSecondLiveCopyIsADuplicate() {
    Receipts r = new Receipts();
    assertThat(r.live(sent(0))).isTrue();
    assertThat(r.live(sent(0))).isFalse();
    assertThat(r.duplicates()).isEqualTo(1);
  }

  @Test
  void catchUpAndLiveOverlapEitherWayWithoutDuplicates() {
    Receipts r = new Receipts();
    r.live(sent(0));
    r.caughtUp(sent(0)); // the last seen message comes back with created_at >= it
    r.caughtUp(sent(1)); // missed while offline
    assertThat(r.live(sent(1))).isFalse(); // its notification arrives after the fetch
    assertThat(r.duplicates()).isZero();
    assertThat(r.overlap()).isEqualTo(2);
    assertThat(r.recovered()).isEqualTo(1);
    assertThat(r.lastCreatedAt()).isEqualTo(sent(1).createdAt());
    BitSet expected = new BitSet();
    expected.set(0, 3);
    assertThat(r.missing(expected)).isEqualTo(1);
  }
}
