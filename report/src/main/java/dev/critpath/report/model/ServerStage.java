package dev.critpath.report.model;

import java.util.List;
import java.util.Map;

/**
 * The server under one stage's load, from run.json's server section.
 *
 * @param stage bench, http or realtime
 * @param cpu how the server's CPU was measured, or why it was not visible
 * @param samplerShare the sampler's own backend's share of the server's CPU, null when unknown
 * @param summary metric key to its max and mean over the stage
 * @param seconds the samples' times, seconds since the stage started
 * @param series metric key to one value per sample (null where the sample lacks it)
 * @param notCaptured what the sampler could not see, and why
 */
public record ServerStage(
    String stage,
    String cpu,
    Double samplerShare,
    Map<String, Stat> summary,
    List<Double> seconds,
    Map<String, List<Double>> series,
    List<String> notCaptured) {

  /** A metric's max and mean over the stage. */
  public record Stat(double max, double mean) {}
}
