package dev.critpath.report.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.critpath.run.PairedRounds;
import dev.critpath.run.PairedRounds.PlanSummary;
import dev.critpath.run.PairedRounds.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparatorTest {
  private static final PlanSummary INDEXED =
      new PlanSummary("aaaa", "Index Scan using m_idx on messages", List.of("m_idx"), 16L, null);
  private static final PlanSummary SEQ =
      new PlanSummary("bbbb", "Sort → Seq Scan on messages", List.of(), 1200L, null);

  private static PairedRounds rounds(
      List<Series> series, PlanSummary base, PlanSummary cand, List<String> candIndexes) {
    var a =
        new PairedRounds.SideIdentity(
            "builtin",
            "h1",
            "7",
            List.of("builtin"),
            "q1",
            Map.of("fetch", base),
            List.of("m_idx"));
    var b =
        new PairedRounds.SideIdentity(
            "dropped", "h2", "900", List.of("builtin"), "q1", Map.of("fetch", cand), candIndexes);
    return new PairedRounds(
        a,
        b,
        new PairedRounds.Dataset("tiny", 42, "f", Map.of("messages", 10L), "copy"),
        series.get(0).baseline().size(),
        200,
        series,
        List.of());
  }

  /** Drifting rounds (the machine gets 3x slower and back): the candidate at {@code factor}. */
  private static Series drifting(String path, int n, double factor, double jitter) {
    List<Double> base = new ArrayList<>();
    List<Double> cand = new ArrayList<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double machine = 1 + 2 * Math.abs(Math.sin(i));
      double wobble = 1 + jitter * Math.sin(i * 7.3);
      base.add(machine);
      cand.add(machine * factor * wobble);
      order.add(i % 2 == 0 ? "AB" : "BA");
    }
    return new Series(path, "rls_on", 50, base, cand, order, null);
  }

  private final PairedComparator comparator = new PairedComparator(CompareOptions.defaults());

  /** The series judged on two sides of the same schema, whose plans use m_idx. */
  private PairedComparator.Judged unchangedSchema(Series... series) {
    return comparator.judge(rounds(List.of(series), INDEXED, INDEXED, List.of("m_idx")), "r", "p");
  }

  @Test
  void aConsistentSlowdownUnderDriftIsSignificantAndNamed() {
    var judged =
        comparator.judge(
            rounds(List.of(drifting("fetch", 12, 1.3, 0.05)), INDEXED, SEQ, List.of()), "r", "p");
    Comparison.QueryDiff q = judged.comparison().queries().get(0);
    assertThat(q.status()).isEqualTo(Comparison.Status.REGRESSED);
    assertThat(q.primary().change()).isCloseTo(0.3, within(0.08));
    // every round slower: the exact two-sided p-value is 2 / 2^12
    assertThat(q.primary().pValue()).isCloseTo(2 / 4096.0, within(1e-9));
    assertThat(q.causes())
        .contains("index m_idx gone (not in the candidate schema)")
        .anyMatch(c -> c.startsWith("plan changed"))
        .contains("shared buffers per call 16 → 1200");
    assertThat(judged.verdicts().get(0).verdict()).isEqualTo("SLOWER");
  }

  @Test
  void noChangeUnderTheSameDriftIsNotARegression() {
    var judged = unchangedSchema(drifting("fetch", 20, 1.0, 0.08));
    Comparison.QueryDiff q = judged.comparison().queries().get(0);
    assertThat(q.status()).isEqualTo(Comparison.Status.UNCHANGED);
    assertThat(q.causes()).isEmpty();
  }

  @Test
  void aSlowdownBelowTheFloorIsNotARegressionHoweverSignificant() {
    var judged = unchangedSchema(drifting("fetch", 20, 1.05, 0.01));
    Comparison.SeriesDiff s = judged.comparison().queries().get(0).primary();
    assertThat(s.adjustedP()).isLessThan(0.01);
    assertThat(s.verdict()).isEqualTo(Comparison.SeriesVerdict.SAME);
  }

  @Test
  void anIndexStillThereButUnusedIsSaidSo() {
    List<String> causes =
        PairedComparator.causes(
            rounds(List.of(drifting("fetch", 6, 1.3, 0)), INDEXED, SEQ, List.of("m_idx")), "fetch");
    assertThat(causes).contains("index m_idx no longer used by the plan");
  }

  @Test
  void aPathThatFailsOnTheCandidateIsARegressionWithItsError() {
    Series failed =
        new Series(
            "fetch", "rls_on", 0, List.of(), List.of(), List.of(), "on the candidate: no column x");
    var judged = unchangedSchema(drifting("fetch", 8, 1, 0), failed);
    Comparison.QueryDiff q = judged.comparison().queries().get(0);
    assertThat(q.status()).isEqualTo(Comparison.Status.REGRESSED);
    assertThat(q.causes()).contains("fails on the candidate: no column x");
  }

  @Test
  void tooFewRoundsAreNotTested() {
    var judged = unchangedSchema(drifting("fetch", 4, 2.0, 0));
    assertThat(judged.comparison().queries().get(0).status())
        .isEqualTo(Comparison.Status.NOT_COMPARED);
  }
}
