package dev.critpath.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.io.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentTest {
  @Test
  void sharesAddUpToTheWholeExactly() {
    for (int n = 1; n <= 9; n++) {
      for (long v = 0; v <= 1_000; v++) {
        long sum = 0;
        long most = 0;
        long least = Long.MAX_VALUE;
        for (int i = 1; i <= n; i++) {
          long share = new Segment(i, n).scale(v);
          sum += share;
          most = Math.max(most, share);
          least = Math.min(least, share);
        }
        assertThat(sum).as("%d over %d segments", v, n).isEqualTo(v);
        assertThat(most - least)
            .as("shares of %d over %d differ by one at most", v, n)
            .isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void matchesK6sStripingForHalves() {
    // k6's TestExecutionTupleScale: with the sequence 0,1/2,1, segment 0:1/2 gets 1 of 2 and 2 of
    // 3, segment 1/2:1 gets 1 of 2 and 1 of 3
    assertThat(new Segment(1, 2).scale(2)).isEqualTo(1);
    assertThat(new Segment(1, 2).scale(3)).isEqualTo(2);
    assertThat(new Segment(2, 2).scale(2)).isEqualTo(1);
    assertThat(new Segment(2, 2).scale(3)).isEqualTo(1);
    assertThat(new Segment(3, 4).scale(2)).isZero();
  }

  @Test
  void everyUnitHasExactlyOneOwnerAndSlicesAreDisjoint() {
    List<Integer> rows = IntStream.range(0, 103).boxed().toList();
    int n = 4;
    Set<Integer> seen = new HashSet<>();
    int total = 0;
    for (int i = 1; i <= n; i++) {
      Segment s = new Segment(i, n);
      List<Integer> mine = s.slice(rows);
      assertThat(mine).hasSize((int) s.scale(rows.size())).allMatch(s::owns);
      List<Long> units = new ArrayList<>();
      for (long m = 0; m < mine.size(); m++) {
        units.add(s.unitOf(m));
      }
      assertThat(units).containsExactlyElementsOf(mine.stream().map(Integer::longValue).toList());
      seen.addAll(mine);
      total += mine.size();
    }
    assertThat(total).isEqualTo(rows.size());
    assertThat(seen).hasSize(rows.size());
  }

  @Test
  void parsesTheCommandLineForm() {
    assertThat(Segment.parse("2/4")).isEqualTo(new Segment(2, 4));
    assertThat(Segment.parse(" 1/1 ").isWhole()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5/4", "0/3", "1/0", "2", "a/b", "2/-3", "-1/3", "1/2/3", ""})
  void refusesMalformedOrOutOfRangeSegmentsInOneLine(String text) {
    assertThatThrownBy(() -> Segment.parse(text))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("--segment " + text)
        .hasMessageContaining("--segment 2/4")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void runJsonCarriesTheSegmentAtTopLevelAndOmitsItForAWholeRun() throws Exception {
    RunRecord record = new RunRecord("r1", Instant.parse("2026-01-01T00:00:00Z"));
    record.setSegment(new Segment(2, 3));
    var tree = Json.mapper().valueToTree(record);
    assertThat(tree.get("segment").get("index").asInt()).isEqualTo(2);
    assertThat(tree.get("segment").get("count").asInt()).isEqualTo(3);
    assertThat(tree.get("segment").size()).isEqualTo(2);
    record.setSegment(Segment.WHOLE);
    assertThat(Json.mapper().valueToTree(record).has("segment")).isFalse();
  }
}
