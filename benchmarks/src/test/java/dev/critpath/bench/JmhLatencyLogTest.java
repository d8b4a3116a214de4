package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhLatencyLogTest {
  /** Two JMH entries as jmh.json holds them: a sample-mode one (2 forks) and a throughput one. */
  private static final String JMH_JSON =
      """
      [ {"benchmark": "dev.critpath.bench.CatalogBenchmark.run", "mode": "sample", "threads": 2,
         "forks": 2, "params": {"query": "message_fetch", "variant": "rls_on"},
         "primaryMetric": {"score": 1.0, "scoreUnit": "ms/op",
           "rawDataHistogram": [ [ [[0.5, 3], [1.25, 2]], [[2.0, 1]] ], [ [[0.5, 4]] ] ]}},
        {"benchmark": "dev.critpath.bench.CatalogBenchmark.run", "mode": "thrpt", "threads": 8,
         "forks": 1, "params": {"query": "message_fetch", "variant": "rls_on"},
         "primaryMetric": {"score": 900.0, "scoreUnit": "ops/s", "rawData": [[900.0]]}} ]
      """;

  @Test
  void everySampledCallOfEveryForkLandsInTheLogInMicroseconds(@TempDir Path dir) {
    Path file = dir.resolve("bench.hlog");
    int written = JmhLatencyLog.write(JMH_JSON, file, Instant.now().minusSeconds(60));
    assertThat(written).isEqualTo(1);
    Map<LatencyTag, Histogram> totals = LatencyLog.totals(file, "bench");
    LatencyTag tag =
        LatencyTag.of(Section.BENCH, "message_fetch:rls_on", "sample", Map.of("threads", "2"));
    assertThat(totals).containsOnlyKeys(tag);
    Histogram h = totals.get(tag);
    assertThat(h.getTotalCount()).isEqualTo(10);
    assertThat(h.getCountAtValue(500)).isEqualTo(7);
    assertThat(h.getCountAtValue(1250)).isEqualTo(2);
    assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(2000));
    assertThat(dir.resolve("bench.hlog.tmp")).doesNotExist();
  }

  @Test
  void scoreUnitsConvertToMicroseconds() {
    assertThat(JmhLatencyLog.microsPerUnit("ns/op")).isEqualTo(1e-3);
    assertThat(JmhLatencyLog.microsPerUnit("us/op")).isEqualTo(1);
    assertThat(JmhLatencyLog.microsPerUnit("ms/op")).isEqualTo(1e3);
    assertThat(JmhLatencyLog.microsPerUnit("s/op")).isEqualTo(1e6);
  }
}
