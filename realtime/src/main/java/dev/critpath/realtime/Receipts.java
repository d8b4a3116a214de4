package dev.critpath.realtime;

import java.time.OffsetDateTime;
import java.util.BitSet;

/** What one receiver got: which messages, how often, and how (live or by catch-up). */
final class Receipts {
  private final BitSet live = new BitSet();
  private final BitSet fetched = new BitSet();
  private long duplicates;
  private long recovered;
  private long overlap;
  private OffsetDateTime lastCreatedAt;

  /**
   * A live delivery; true when it is the first copy of this message. A second live copy is a
   * duplicate; a live copy of a message the catch-up already fetched is the expected overlap of a
   * reconnect (committed after the rejoin, read by the fetch before its notification arrived).
   */
  synchronized boolean live(MessageLog.Sent sent) {
    if (live.get(sent.seq())) {
      duplicates++;
      return false;
    }
    live.set(sent.seq());
    if (fetched.get(sent.seq())) {
      overlap++;
      return false;
    }
    advance(sent);
    return true;
  }

  /**
   * A message fetched by catch-up after a reconnect. Copies already seen live are the expected
   * overlap of "fetch since the last seen created_at", dropped by id as a client would.
   */
  synchronized void caughtUp(MessageLog.Sent sent) {
    if (live.get(sent.seq()) || fetched.get(sent.seq())) {
      overlap++;
      return;
    }
    fetched.set(sent.seq());
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
    lacking.andNot(live);
    lacking.andNot(fetched);
    return lacking.cardinality();
  }

  synchronized long duplicates() {
    return duplicates;
  }

  /** Messages this receiver got first from a catch-up fetch. */
  synchronized long recovered() {
    return recovered;
  }

  synchronized long overlap() {
    return overlap;
  }
}
