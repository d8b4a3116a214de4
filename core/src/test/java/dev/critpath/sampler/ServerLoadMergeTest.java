package dev.critpath.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The merge rule on recorded samples whose visibility differs by segment (the real runs are in
 * http's ServerMergeTest): what one segment saw of the server is the server's; a pool some segments
 * could not count is summed over the others, and the gap is named.
 */
class ServerLoadMergeTest {
  private static final Instant T0 = Instant.parse("2026-12-06T04:00:00.300Z");
  private static final String SERVER = "system identifier 7, database d";
  private static final String REMOTE = "the server at db is not among this machine's processes";
  private static final String NO_POOL = "the http engine holds no database pool";

  private static ServerSample sample(double t, Map<String, Double> metrics) {
    return new ServerSample(t, 0, Map.of("active", 1), metrics);
  }

  private static StageLoad stage(
      Instant start, List<ServerSample> samples, Map<String, String> notVisible) {
    return stage(start, samples, notVisible, null);
  }

  private static StageLoad stage(
      Instant start,
      List<ServerSample> samples,
      Map<String, String> notVisible,
      StageLoad.SamplerCost cost) {
    return new StageLoad(
        "http",
        SERVER,
        start,
        3,
        1000,
        notVisible.containsKey("db_cpu") ? "not visible: " + REMOTE : "the postmaster ...",
        cost,
        StageLoad.summarize(samples),
        samples,
        null,
        notVisible.isEmpty() ? null : notVisible,
        null);
  }

  /** Segment 1 and {@code owner} merged: their one stage. */
  private static StageLoad merged(StageLoad first, String owner, StageLoad second) {
    return ServerLoadMerge.merge(
            List.of(
                new ServerLoadMerge.Part("segment 1", new ServerLoad(List.of(first))),
                new ServerLoadMerge.Part(owner, new ServerLoad(List.of(second)))))
        .stages()
        .get(0);
  }

  @Test
  void whatOneSegmentSawIsTheServersAndAPoolNotCountedIsNamed() {
    // segment 1 runs on the database host (sees its CPU) and counts its pools
    StageLoad one =
        stage(
            T0,
            List.of(
                sample(1.0, Map.of("db_cpu", 40.0, "db_connections", 10.0, "pool_waiting", 2.0)),
                // timer jitter: a second sample within the same wall-clock second
                sample(1.6, Map.of("db_cpu", 55.0, "db_connections", 9.0, "pool_waiting", 1.0))),
            Map.of());
    // segment 2, 200 ms later, on another host: no CPU, no pool
    StageLoad two =
        stage(
            T0.plusMillis(200),
            List.of(sample(1.0, Map.of("db_connections", 12.0))),
            Map.of("db_cpu", REMOTE, "pool_waiting", NO_POOL));
    StageLoad merged = merged(one, "segment 2 (b)", two);

    assertThat(merged.samples()).hasSize(1); // 04:00:01.3, 01.9 and 01.5 share one second
    ServerSample s = merged.samples().get(0);
    assertThat(s.t()).isEqualTo(1.7); // stamped at 04:00:02, the second's end
    assertThat(s.value(ServerMetric.DB_CPU)).isEqualTo(55.0);
    assertThat(s.value(ServerMetric.DB_CONNECTIONS)).isEqualTo(12.0);
    assertThat(s.value(ServerMetric.POOL_WAITING)).isEqualTo(2.0);
    assertThat(merged.hidden(ServerMetric.DB_CPU)).isEmpty();
    assertThat(merged.cpu()).isEqualTo("the postmaster ...");
    assertThat(merged.hidden(ServerMetric.POOL_WAITING)).isEmpty();
    assertThat(merged.notCaptured())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.what())
                  .isEqualTo("client pool saturation (pool_waiting) of segment 2 (b)");
              assertThat(n.why()).startsWith(NO_POOL);
            });

    StageLoad blind = stage(T0, List.of(), Map.of("db_cpu", REMOTE));
    StageLoad both = merged(blind, "segment 2", two);
    assertThat(both.hidden(ServerMetric.DB_CPU)).contains(REMOTE);
    assertThat(both.cpu()).startsWith("not visible: ");
  }

  /**
   * Two samplers watched one server: together they cost their summed CPU out of the server's over
   * the longer window; when one could not see the server's CPU, the sum would understate it.
   */
  @Test
  void theSamplersCostIsTheirSumAgainstTheServersCpu() {
    List<ServerSample> one = List.of(sample(1.0, Map.of("db_connections", 3.0)));
    StageLoad a = stage(T0, one, Map.of(), StageLoad.SamplerCost.of(0.2, 60.0));
    StageLoad b = stage(T0.plusMillis(200), one, Map.of(), StageLoad.SamplerCost.of(0.3, 62.0));
    assertThat(merged(a, "segment 2", b).samplerCost())
        .isEqualTo(new StageLoad.SamplerCost(0.5, 62.0, 0.0081));

    StageLoad remote = stage(T0, one, Map.of("db_cpu", REMOTE));
    assertThat(merged(a, "segment 2", remote).samplerCost()).isNull();
  }
}
