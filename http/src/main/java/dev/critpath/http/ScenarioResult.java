package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.http.metrics.SecondRow;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencySummary;
import java.util.List;
import java.util.Map;

/**
 * One scenario's measurements.
 *
 * @param network the emulated client link its VUs connected over (name, RTT, bandwidths), absent
 *     when they connected directly. Through it, {@code connecting} is the local connect to the
 *     shaping proxy plus, for https, the TLS handshake's round trips; the emulated TCP handshake's
 *     round trip is in the first request's {@code waiting}
 * @param latency what users saw: from each iteration's intended start under open-model executors
 *     (coordinated omission corrected), from the send under closed ones
 * @param serviceTime from the actual send to the last response byte
 * @param waiting from the send to the first response byte (k6's http_req_waiting)
 * @param startLag how late iterations started against their schedule (open model)
 * @param statusCodes responses per status code
 * @param errors failures by kind: timeout, refused, reset, tls, dns, protocol, 4xx, 5xx
 * @param coldStarts responses that paid for loading the function (local server's marker header)
 * @param metrics custom metrics by {@code metric{name:request}}: a rate, or a counter's sum
 * @param metricTallies the same keys with {@code [trues, total]} (total 0 for a counter), what
 *     merge adds up exactly
 * @param timeSeries one row per second
 * @param errorSamples the first few failures, with the start of their body
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioResult(
    String name,
    String executor,
    String phase,
    Map<String, String> tags,
    Map<String, Object> config,
    NetworkProfile network,
    double startSeconds,
    double durationSeconds,
    long requests,
    double requestsPerSecond,
    long iterations,
    double iterationsPerSecond,
    long droppedIterations,
    long lateStarts,
    long interruptedIterations,
    int maxVus,
    double failedRate,
    LatencySummary latency,
    LatencySummary serviceTime,
    LatencySummary waiting,
    LatencySummary startLag,
    LatencySummary iterationDuration,
    LatencySummary connecting,
    ColdWarm coldWarm,
    Map<String, Long> statusCodes,
    Map<String, Long> errors,
    List<CheckResult> checks,
    List<RequestResult> requestsByName,
    Map<String, Double> metrics,
    Map<String, List<Double>> metricTallies,
    List<SecondRow> timeSeries,
    List<ErrorSample> errorSamples) {

  /** Latency of responses that included a function cold start, and of the others. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColdWarm(long coldStarts, LatencySummary cold, LatencySummary warm) {}

  public record CheckResult(String request, String name, long passes, long fails) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestResult(
      String name,
      String method,
      long count,
      double failedRate,
      LatencySummary latency,
      LatencySummary serviceTime) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ErrorSample(String request, Integer status, String error, String bodyStart) {}
}
