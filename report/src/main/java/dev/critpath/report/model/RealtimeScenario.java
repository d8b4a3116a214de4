package dev.critpath.report.model;

import java.util.List;

/**
 * One measured realtime delivery path (run.json's "realtime" section lists them).
 *
 * @param name the level, and the network profile when one was emulated ("websocket over 4G")
 * @param level listen (database LISTEN/NOTIFY) or websocket (Supabase Realtime)
 * @param network the emulated client link's label, null for none
 * @param platform whose targets apply (web, mobile 4G...)
 * @param deliveryTarget the delivery latency threshold as run.json states it ("p(95)<500")
 * @param deliveryTargetMs its limit in milliseconds, null when none
 * @param delivery commit request to receipt, every live delivery to every receiver
 * @param commit how long the sender's COMMIT took
 * @param setup connect until subscribed
 * @param measured false when nobody could subscribe: nothing was sent or measured
 * @param checks the thresholds, and whether the scenario could be measured at all
 * @param notes the machine's load, the shaping proxy, the first error
 */
public record RealtimeScenario(
    String name,
    String level,
    String network,
    String platform,
    String deliveryTarget,
    Double deliveryTargetMs,
    String event,
    Long subscribers,
    Double ratePerSecond,
    Double durationSeconds,
    Messages messages,
    Latency delivery,
    Latency commit,
    Latency setup,
    Reconnects reconnects,
    Long errors,
    Long subscribersBehind,
    boolean measured,
    List<CheckResult> checks,
    List<String> notes) {

  /**
   * @param expected sum over receivers of the messages each should get
   * @param recovered messages a reconnected subscriber got only from its catch-up fetch
   */
  public record Messages(
      Long sent, Long expected, Long delivered, Long lost, Long duplicates, Long recovered) {}

  /**
   * @param forced disconnects the run caused
   * @param unexpected closes nobody asked for
   * @param catchUp from the network being back to joined and caught up
   */
  public record Reconnects(
      Long forced, Long unexpected, Long succeeded, Long failed, Latency catchUp) {}

  /** FAIL when a threshold failed or nothing was measured, else PASS (SKIP with no thresholds). */
  public Status verdict() {
    if (checks.stream().anyMatch(CheckResult::failed)) {
      return Status.FAIL;
    }
    return checks.stream().anyMatch(c -> c.status() == Status.PASS) ? Status.PASS : Status.SKIP;
  }
}
