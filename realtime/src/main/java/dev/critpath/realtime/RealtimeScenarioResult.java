package dev.critpath.realtime;

import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import java.util.List;
import java.util.Map;

/**
 * One measured delivery path, as run.json's "realtime" section lists it.
 *
 * @param level {@code listen} (database LISTEN/NOTIFY) or {@code websocket} (Supabase Realtime)
 * @param endpoint where subscribers connected (no secrets)
 * @param network the emulated client link, null for none
 * @param platform whose targets apply (web, mobile WiFi, mobile 4G, mobile 3G)
 * @param subscribers receivers that took part (LISTEN connections or WebSocket subscribers)
 * @param delivery commit request to receipt, every live delivery to every receiver
 * @param subscriptionSetup connect until subscribed (WebSocket: TCP + upgrade + phx_join reply)
 * @param subscribersBehind receivers still missing messages when the drain time ran out
 * @param measured false when no receiver could subscribe, so nothing was sent or measured (a
 *     connection or configuration problem, not a slow path)
 * @param relay the local relay's own counters, when it ran
 */
public record RealtimeScenarioResult(
    String level,
    String endpoint,
    NetworkProfile network,
    String platform,
    int subscribers,
    double ratePerSecond,
    double durationSeconds,
    int conversations,
    String event,
    Messages messages,
    LatencySummary delivery,
    LatencySummary commit,
    LatencySummary subscriptionSetup,
    Reconnects reconnects,
    Errors errors,
    int subscribersBehind,
    boolean measured,
    List<ThresholdCheck> thresholds,
    boolean passed,
    List<String> notes,
    Map<String, Object> relay) {

  /**
   * @param sent messages committed by the sender
   * @param lateSends sends that started more than one period after their scheduled time
   * @param failedSends sends that raised an error (not expected by anyone)
   * @param expectedDeliveries sum over receivers of the messages each should get
   * @param delivered distinct messages received, summed over receivers (live + catch-up)
   * @param lost expected but never received
   * @param duplicates second and later live copies of a message at one receiver
   * @param recoveredByCatchUp messages a reconnected subscriber got only from its catch-up fetch
   * @param catchUpOverlap catch-up rows already seen live (dropped by id, not duplicates)
   * @param unknown deliveries whose id this run never sent (another writer's messages)
   */
  public record Messages(
      long sent,
      long lateSends,
      long failedSends,
      long expectedDeliveries,
      long delivered,
      long lost,
      long duplicates,
      long recoveredByCatchUp,
      long catchUpOverlap,
      long unknown) {}

  /**
   * @param forced disconnects the run caused (a subscriber's socket aborted mid-run)
   * @param unexpected closes nobody asked for (the relay dropping a slow subscriber, errors)
   * @param succeeded reconnects that rejoined and caught up
   * @param failed reconnects that gave up
   * @param reconnectAndCatchUp from the moment the network is back to joined and caught up
   */
  public record Reconnects(
      long forced,
      long unexpected,
      long succeeded,
      long failed,
      double offlineSeconds,
      LatencySummary reconnectAndCatchUp) {}

  /**
   * @param connectFailures connections that failed or timed out (TCP, HTTP upgrade, auth)
   * @param joinFailures phx_join answered with an error or not answered in time
   * @param protocolErrors frames that were not the protocol (bad JSON, error replies, phx_error)
   * @param heartbeatTimeouts heartbeats not answered before the next one was due
   * @param firstError the first error's message, for a human
   */
  public record Errors(
      long connectFailures,
      long joinFailures,
      long protocolErrors,
      long heartbeatTimeouts,
      String firstError) {

    long total() {
      return connectFailures + joinFailures + protocolErrors + heartbeatTimeouts;
    }
  }
}
