package dev.critpath.realtime;

import dev.critpath.Secrets;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The counters and histograms every receiver of one scenario records into (thread-safe). */
final class Tally {
  final MessageLog log;
  final Latencies delivery = new Latencies();
  final Latencies setup = new Latencies();
  final Latencies reconnect = new Latencies();
  final AtomicLong unknown = new AtomicLong();
  final AtomicLong connectFailures = new AtomicLong();
  final AtomicLong joinFailures = new AtomicLong();
  final AtomicLong protocolErrors = new AtomicLong();
  final AtomicLong heartbeatTimeouts = new AtomicLong();
  final AtomicLong forcedDisconnects = new AtomicLong();
  final AtomicLong unexpectedDisconnects = new AtomicLong();
  final AtomicLong reconnected = new AtomicLong();
  final AtomicLong reconnectFailed = new AtomicLong();
  final AtomicLong frames = new AtomicLong();
  final AtomicLong frameBytes = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  Tally(MessageLog log) {
    this.log = log;
  }

  /** The size of one frame that carried a delivery (WebSocket payload bytes). */
  void frame(int bytes) {
    frames.incrementAndGet();
    frameBytes.addAndGet(bytes);
  }

  /** A live delivery of message {@code id} received at {@code nowNanos}. */
  void delivered(Receipts receipts, String id, long nowNanos) {
    MessageLog.Sent sent = log.lookup(id);
    if (sent == null) {
      unknown.incrementAndGet();
    } else if (receipts.live(sent)) {
      delivery.recordNanos(nowNanos - sent.commitRequestNanos());
    }
  }

  /**
   * Writes this scenario's distributions to the run's latency log (nothing when null), tagged
   * {@code realtime/<level>/<metric>} with the network profile as a qualifier.
   */
  void log(LatencyLog latencyLog, String level, NetworkProfile network, Sender.Result sent) {
    if (latencyLog == null) {
      return;
    }
    Map<String, String> q = network == null ? Map.of() : Map.of("network", network.name());
    delivery.log(latencyLog, LatencyTag.of(Section.REALTIME, level, "delivery", q));
    setup.log(latencyLog, LatencyTag.of(Section.REALTIME, level, "subscription_setup", q));
    reconnect.log(latencyLog, LatencyTag.of(Section.REALTIME, level, "reconnect", q));
    sent.commitLatencies().log(latencyLog, LatencyTag.of(Section.REALTIME, level, "commit", q));
  }

  void error(AtomicLong counter, String message) {
    counter.incrementAndGet();
    firstError.compareAndSet(null, Secrets.redact(message));
  }

  RealtimeScenarioResult.Errors errors() {
    return new RealtimeScenarioResult.Errors(
        connectFailures.get(),
        joinFailures.get(),
        protocolErrors.get(),
        heartbeatTimeouts.get(),
        firstError.get());
  }

  /** Receivers (by index) that lack messages they should have. */
  static List<Integer> behind(List<Receipts> receivers, List<BitSet> expected) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < receivers.size(); i++) {
      if (receivers.get(i).missing(expected.get(i)) > 0) {
        out.add(i);
      }
    }
    return out;
  }

  RealtimeScenarioResult.Messages messages(
      Sender.Result sent, List<Receipts> receivers, List<BitSet> expected) {
    long expectedTotal = 0;
    long delivered = 0;
    long lost = 0;
    long duplicates = 0;
    long recovered = 0;
    long overlap = 0;
    for (int i = 0; i < receivers.size(); i++) {
      Receipts r = receivers.get(i);
      BitSet e = expected.get(i);
      expectedTotal += e.cardinality();
      int missing = r.missing(e);
      lost += missing;
      delivered += e.cardinality() - missing;
      duplicates += r.duplicates();
      recovered += r.recovered();
      overlap += r.overlap();
    }
    return new RealtimeScenarioResult.Messages(
        sent.sent(),
        sent.lateStarts(),
        sent.failed(),
        expectedTotal,
        delivered,
        lost,
        duplicates,
        recovered,
        overlap,
        unknown.get());
  }
}
