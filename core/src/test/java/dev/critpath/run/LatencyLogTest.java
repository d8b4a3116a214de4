package dev.critpath.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyLogTest {
  private static final double[] PERCENTILES = {0, 50, 90, 95, 99, 99.9, 99.99, 100};

  @Test
  void segmentsWrittenPerIntervalAddUpToTheHistogramOfAllValuesExactly(@TempDir Path dir) {
    LatencyTag send = LatencyTag.of(Section.HTTP, "f:send", "http_req_duration", Map.of());
    LatencyTag read =
        LatencyTag.of(Section.HTTP, "f:read", "http_req_duration", Map.of("status", "200"));
    Random random = new Random(42);
    Histogram allSend = LatencyLog.histogram();
    Histogram allRead = LatencyLog.histogram();
    List<Path> logs = new ArrayList<>();
    long start = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();
    for (int segment = 0; segment < 3; segment++) {
      Path file = dir.resolve("segment-" + segment + ".hlog");
      logs.add(file);
      try (LatencyLog log = LatencyLog.create(file, Instant.ofEpochMilli(start))) {
        Histogram interval = LatencyLog.histogram();
        for (int second = 0; second < 20; second++) {
          for (LatencyTag tag : List.of(send, read)) {
            interval.reset();
            int n = 50 + random.nextInt(500);
            for (int i = 0; i < n; i++) {
              // long-tailed, segment-dependent: a few ms, sometimes seconds
              long micros = (long) (Math.exp(random.nextGaussian() * 1.5 + 8 + segment) + 1);
              interval.recordValue(micros);
              (tag == send ? allSend : allRead).recordValue(micros);
            }
            long from = start + second * 1000L;
            log.interval(tag, from, from + 1000, interval);
          }
        }
      }
    }
    Histogram mergedSend = LatencyLog.histogram();
    Histogram mergedRead = LatencyLog.histogram();
    for (int i = 0; i < logs.size(); i++) {
      Map<LatencyTag, Histogram> totals = LatencyLog.totals(logs.get(i), "segment " + (i + 1));
      assertThat(totals.keySet()).containsExactlyInAnyOrder(send, read);
      mergedSend.add(totals.get(send));
      mergedRead.add(totals.get(read));
    }
    assertThat(mergedSend.getTotalCount()).isEqualTo(allSend.getTotalCount());
    assertThat(mergedRead.getTotalCount()).isEqualTo(allRead.getTotalCount());
    for (double p : PERCENTILES) {
      assertThat(mergedSend.getValueAtPercentile(p)).isEqualTo(allSend.getValueAtPercentile(p));
      assertThat(mergedRead.getValueAtPercentile(p)).isEqualTo(allRead.getValueAtPercentile(p));
    }
    assertThat(mergedSend.getMean()).isEqualTo(allSend.getMean());
  }

  @Test
  void intervalsKeepTheirWallClockBoundsAndEmptyOnesAreNotWritten(@TempDir Path dir) {
    Path file = dir.resolve("x.hlog");
    Instant base = Instant.parse("2026-12-06T01:00:00Z");
    LatencyTag tag = LatencyTag.of(Section.REALTIME, "listen", "delivery", Map.of());
    Histogram h = LatencyLog.histogram();
    try (LatencyLog log = LatencyLog.create(file, base)) {
      log.interval(tag, base.toEpochMilli(), base.toEpochMilli() + 1000, h);
      h.recordValue(1234);
      log.interval(tag, base.toEpochMilli() + 1000, base.toEpochMilli() + 2000, h);
    }
    List<LatencyLog.Interval> read = new ArrayList<>();
    LatencyLog.read(file, "run", read::add);
    assertThat(read).hasSize(1);
    assertThat(read.get(0).startMillis()).isEqualTo(base.toEpochMilli() + 1000);
    assertThat(read.get(0).endMillis()).isEqualTo(base.toEpochMilli() + 2000);
    assertThat(read.get(0).histogram().getMaxValue()).isEqualTo(h.getMaxValue());
  }

  @Test
  void tagsRoundTripNamesWithReservedCharacters() {
    LatencyTag tag =
        LatencyTag.of(
            Section.HTTP,
            "my file.yaml:send, then read",
            "http_req_duration",
            Map.of("name", "a/b;c=d %", "status", "200"));
    String encoded = tag.encode();
    assertThat(encoded).doesNotContain(" ").doesNotContain(",");
    assertThat(encoded).startsWith("http/my%20file.yaml:send%2C%20then%20read/http_req_duration;");
    assertThat(LatencyTag.parse(encoded)).isEqualTo(tag);
    assertThat(LatencyTag.parse("not-ours")).isNull();
  }

  @Test
  void anUnreadableLogIsAUserErrorNamingItsOwner(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.hlog");
    Files.writeString(file, "Tag=http/f:s/m,0.000,1.000,1.0,notbase64!!\n");
    assertThatThrownBy(() -> LatencyLog.totals(file, "segment 2"))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("segment 2: cannot read the latency log");
  }
}
