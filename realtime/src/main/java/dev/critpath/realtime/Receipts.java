package dev.critpath.realtime;

import java.time.OffsetDateTime;
import java.util.BitSet;

/** What one receiver got: which messages, how often, and how (live or by catch-up). */
final class Receipts {
  private final BitSet seen = new BitSet();
  private long duplicates;
  private long recovered;
  private long overlap;
  private OffsetDateTime lastCreatedAt;

  /** A live delivery; true when it is the first copy of this message. */
  synchronized boolean live(MessageLog.Sent sent) {
    if (seen.get(sent.seq())) {
      duplicates++;
      return false;
    }
    seen.set(sent.seq());
    advance(sent);
    return true;
  }

  /**
   * A message fetched by catch-up after a reconnect. Copies already seen live are the expected
   * overlap of "fetch since the last seen created_at", dropped by id as a client would.
   */
  synchronized void caughtUp(MessageLog.Sent sent) {
    if (seen.get(sent.seq())) {
      overlap++;
      return;
    }
    seen.set(sent.seq());
    recovered++;
    advance(sent);
  }

  private void advance(MessageLog.Sent sent) {
    if (lastCreatedAt == null || sent.createdAt().isAfter(lastCreatedAt)) {
      lastCreatedAt = sent.createdAt();
    }
  }

  synchronized OffsetDateTime lastCreatedAt() {
    return lastCreatedAt;
  }

  /** How many of {@code expected} this receiver still lacks. */
  synchronized int missing(BitSet expected) {
    BitSet lacking = (BitSet) expected.clone();
    lacking.andNot(seen);
    return lacking.cardinality();
  }

  synchronized int received() {
    return seen.cardinality();
  }

  synchronized long duplicates() {
    return duplicates;
  }

  synchronized long recovered() {
    return recovered;
  }

  synchronized long overlap() {
    return overlap;
  }
}
