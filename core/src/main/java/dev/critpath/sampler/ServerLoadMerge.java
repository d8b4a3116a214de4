package dev.critpath.sampler;

import dev.critpath.UserError;
import dev.critpath.run.NotCaptured;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server sections of N segment runs as one. The segments watched one server, so its per-second
 * samples describe the same server at the same wall-clock second: they are aligned on that second
 * and never summed. A server-wide metric takes the highest value any segment saw in the second (a
 * conservative reading, as a threshold is a ceiling), and the connections by state are those of the
 * segment that saw the most. Only the client's pool saturation ({@code pool_waiting}) is per
 * segment, each with its own pools: those are summed.
 */
public final class ServerLoadMerge {
  /** Written into the merged stage, for its reader. */
  static final String RULE =
      "aligned on the wall-clock second; server-wide metrics: the highest of the segments in"
          + " that second (they watched one server); pool_waiting: the segments' sum (each has its"
          + " own pools)";

  private static final long MILLIS_PER_SECOND = 1000;

  /**
   * One segment's server section.
   *
   * @param owner the segment, as refusals name it
   */
  public record Part(String owner, ServerLoad load) {}

  private ServerLoadMerge() {}

  /**
   * The merged section: one stage per stage of the first segment.
   *
   * @throws UserError when a segment lacks a stage or sampled another server
   */
  public static ServerLoad merge(List<Part> parts) {
    Part first = parts.get(0);
    List<StageLoad> stages = new ArrayList<>();
    for (StageLoad s : first.load().stages()) {
      List<StageLoad> each = new ArrayList<>();
      for (Part p : parts) {
        StageLoad mine = stage(p, s.stage());
        if (s.server() != null && !s.server().equals(mine.server())) {
          throw new UserError(
              p.owner()
                  + " sampled another server ("
                  + mine.server()
                  + ") than "
                  + first.owner()
                  + " ("
                  + s.server()
                  + "): merge segments that ran against one server");
        }
        each.add(mine);
      }
      stages.add(merge(each, parts));
    }
    return new ServerLoad(List.copyOf(stages));
  }

  private static StageLoad stage(Part p, String stage) {
    for (StageLoad s : p.load().stages()) {
      if (s.stage().equals(stage)) {
        return s;
      }
    }
    throw new UserError(
        p.owner()
            + " has no server samples of its "
            + stage
            + " stage: re-run it with a critpath that samples the server");
  }

  private static StageLoad merge(List<StageLoad> each, List<Part> parts) {
    Instant start = each.stream().map(StageLoad::startedAt).min(Instant::compareTo).orElseThrow();
    long startMillis = start.toEpochMilli();
    long endMillis = startMillis;
    TreeMap<Long, Second> seconds = new TreeMap<>();
    for (StageLoad s : each) {
      long origin = s.startedAt().toEpochMilli();
      endMillis = Math.max(endMillis, origin + Math.round(s.seconds() * MILLIS_PER_SECOND));
      Map<Long, ServerSample> mine = new HashMap<>();
      for (ServerSample sample : s.samples()) {
        long epochSecond =
            Math.floorDiv(origin + Math.round(sample.t() * MILLIS_PER_SECOND), MILLIS_PER_SECOND);
        mine.merge(epochSecond, sample, Second::higher);
      }
      mine.forEach((sec, sample) -> seconds.computeIfAbsent(sec, k -> new Second()).add(sample));
    }
    List<ServerSample> samples = new ArrayList<>();
    seconds.forEach(
        (sec, second) -> {
          double t = ((sec + 1) * MILLIS_PER_SECOND - startMillis) / (double) MILLIS_PER_SECOND;
          samples.add(second.sample(t));
        });
    StageLoad first = each.get(0);
    return new StageLoad(
        first.stage(),
        first.server(),
        start,
        (endMillis - startMillis) / (double) MILLIS_PER_SECOND,
        first.intervalMs(),
        cpu(each),
        samplerCost(each),
        StageLoad.summarize(samples),
        samples,
        notCaptured(each, parts),
        notVisible(each),
        RULE);
  }

  /**
   * What the N samplers together cost the one server: their CPU seconds summed, against the
   * server's over the longest of their (overlapping) windows. Null unless every segment could see
   * the server's CPU: a sum that misses a sampler would understate it.
   */
  private static StageLoad.SamplerCost samplerCost(List<StageLoad> each) {
    if (each.stream().anyMatch(s -> s.samplerCost() == null)) {
      return null;
    }
    double sampler = each.stream().mapToDouble(s -> s.samplerCost().samplerCpuSeconds()).sum();
    double server =
        each.stream().mapToDouble(s -> s.samplerCost().serverCpuSeconds()).max().orElse(0);
    return StageLoad.SamplerCost.of(sampler, server);
  }

  /** How db_cpu was measured: by a segment that could see it, else the first's reason. */
  private static String cpu(List<StageLoad> each) {
    return each.stream()
        .map(StageLoad::cpu)
        .filter(c -> !c.startsWith("not visible"))
        .findFirst()
        .orElse(each.get(0).cpu());
  }

  /**
   * A metric is not visible when no segment saw it. A server-wide one any segment saw is the
   * server's; a pool some segments could not count is summed over those that could, and said.
   */
  private static Map<String, String> notVisible(List<StageLoad> each) {
    Map<String, String> out = new TreeMap<>();
    for (ServerMetric m : ServerMetric.values()) {
      if (each.stream().allMatch(s -> s.hidden(m).isPresent())) {
        out.put(m.key(), each.get(0).hidden(m).get());
      }
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * What every segment could not see (by what it was), and the segments whose pools were not
   * counted while others' were.
   */
  private static List<NotCaptured> notCaptured(List<StageLoad> each, List<Part> parts) {
    List<NotCaptured> out = new ArrayList<>();
    for (NotCaptured n : listed(each.get(0))) {
      if (each.stream()
          .allMatch(s -> listed(s).stream().anyMatch(o -> o.what().equals(n.what())))) {
        out.add(n);
      }
    }
    if (each.stream().anyMatch(s -> s.hidden(ServerMetric.POOL_WAITING).isEmpty())) {
      for (int i = 0; i < each.size(); i++) {
        StageLoad s = each.get(i);
        String owner = parts.get(i).owner();
        s.hidden(ServerMetric.POOL_WAITING)
            .ifPresent(
                why ->
                    out.add(
                        new NotCaptured(
                            s.stage(),
                            "client pool saturation (pool_waiting) of " + owner,
                            why + "; the merged pool_waiting sums the other segments only",
                            null)));
      }
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  private static List<NotCaptured> listed(StageLoad s) {
    return s.notCaptured() == null ? List.of() : s.notCaptured();
  }

  /** One wall-clock second over the segments. */
  private static final class Second {
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private Map<String, Integer> connections = Map.of();
    private double mostConnections = -1;

    /** Of two samples of one segment in one second (timer jitter), the higher of each metric. */
    static ServerSample higher(ServerSample a, ServerSample b) {
      Map<String, Double> m = new LinkedHashMap<>(a.metrics());
      b.metrics().forEach((k, v) -> m.merge(k, v, Math::max));
      Map<String, Integer> c = connections(b) > connections(a) ? b.connections() : a.connections();
      return new ServerSample(a.t(), a.nanos(), c, m);
    }

    void add(ServerSample s) {
      s.metrics()
          .forEach(
              (k, v) ->
                  metrics.merge(
                      k, v, ServerMetric.POOL_WAITING.key().equals(k) ? Double::sum : Math::max));
      if (connections(s) > mostConnections) {
        mostConnections = connections(s);
        connections = s.connections();
      }
    }

    ServerSample sample(double t) {
      return new ServerSample(Math.round(t * MILLIS_PER_SECOND) / 1000.0, 0, connections, metrics);
    }

    private static double connections(ServerSample s) {
      Double v = s.value(ServerMetric.DB_CONNECTIONS);
      return v == null ? 0 : v;
    }
  }
}
