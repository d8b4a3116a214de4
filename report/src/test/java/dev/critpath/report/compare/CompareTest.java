package dev.critpath.report.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.Status;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.testing.SyntheticRun;
import dev.critpath.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison on runs with known distributions: no false alarms, real shifts caught, causes
 * named.
 */
class CompareTest {
  static final List<String> QUERIES =
      List.of(
          "message_fetch",
          "conversation_list",
          "unread_count",
          "message_search",
          "send_message",
          "mark_as_read",
          "voucher_redeem");
  static final double[] MEDIANS = {0.6, 8, 0.9, 12, 2.5, 1.1, 4.0};

  @TempDir Path tmp;

  private Comparison compare(SyntheticRun base, SyntheticRun cur, Random random) throws Exception {
    Path b = base.write(Files.createTempDirectory(tmp, "base"), random);
    Path c = cur.write(Files.createTempDirectory(tmp, "cur"), random);
    return new RunComparator(CompareOptions.defaults())
        .compare(RunReader.read(b), RunReader.read(c));
  }

  /** The seven reference queries with per-iteration noise and per-run (fork) drift. */
  private static SyntheticRun workload(String id, double noise, double drift, double slower) {
    SyntheticRun run = SyntheticRun.named(id);
    for (int i = 0; i < QUERIES.size(); i++) {
      double median = QUERIES.get(i).equals("unread_count") ? MEDIANS[i] * slower : MEDIANS[i];
      run.query(QUERIES.get(i))
          .median(median)
          .noise(noise, drift)
          .replicates(1, 10)
          .counters(40 + i, 10);
    }
    return run;
  }

  private int alarms(int trials, double noise, double drift, long seed) throws Exception {
    Random random = new Random(seed);
    int alarms = 0;
    for (int t = 0; t < trials; t++) {
      Comparison c =
          compare(workload("a", noise, drift, 1), workload("b", noise, drift, 1), random);
      alarms += c.regressions().isEmpty() ? 0 : 1;
    }
    return alarms;
  }

  @Test
  void aToAOnNoisySameDistributionDataRaisesNoAlarm() throws Exception {
    // 10% noise per iteration, no drift between runs: the rank test and Holm hold the line
    assertThat(alarms(100, 0.10, 0, 42)).isZero();
  }

  @Test
  void aToAWithRunToRunDriftWellBelowTheFloorRarelyAlarms() throws Exception {
    // iterations of one fork share its drift, so they over-state significance; the 10% floor
    // is what protects single-fork runs: with 1.5% drift per run, under 2% of comparisons alarm
    assertThat(alarms(100, 0.05, 0.015, 43)).isLessThanOrEqualTo(2);
  }

  @Test
  void aToAOnABusyMachineRaisesNoAlarmAndSaysItIsNoisy() throws Exception {
    // neighbours shift whole series by 40% (sd) per run: the noise band, not the floor, holds
    Random random = new Random(44);
    int alarms = 0;
    int trials = 50;
    for (int t = 0; t < trials; t++) {
      Comparison c = compare(busy("a", true), busy("b", true), random);
      alarms += c.regressions().isEmpty() ? 0 : 1;
      assertThat(c.warnings()).anySatisfy(w -> assertThat(w).startsWith("the runs are noisy"));
    }
    // with counters unchanged, a noisy timing shift is not called a regression at all
    assertThat(alarms).isZero();
  }

  /** 14 queries whose series each shift by 40% (sd) per run, as beside a busy neighbour. */
  private static SyntheticRun busy(String id, boolean withFetch) {
    SyntheticRun run = SyntheticRun.named(id);
    for (int i = 0; i < 14; i++) {
      String name = i < QUERIES.size() ? QUERIES.get(i) : "extra_" + i;
      if (withFetch || !name.equals("message_fetch")) {
        run.query(name).median(1 + i).noise(0.05, 0.40).counters(40 + i, 10);
      }
    }
    return run;
  }

  @Test
  void tooFewConfigurationsToMeasureTheDriftSaySoAndPointToInterleavedRuns() throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    SyntheticRun cur = SyntheticRun.named("b");
    for (int i = 0; i < 3; i++) {
      for (int threads = 1; threads <= 2; threads++) {
        base.query(QUERIES.get(i)).threads(threads).median(MEDIANS[i]).noise(0.05, 0.40);
        cur.query(QUERIES.get(i)).threads(threads).median(MEDIANS[i]).noise(0.05, 0.40);
      }
    }

    assertThat(compare(base, cur, new Random(47)).warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("only 6 configurations measured in both runs, too few")
                    .endsWith("(./run.sh ab)"));
  }

  @Test
  void moreWorkOnANewPlanIsNeverAnImprovementWhenTimingDisagreesWithItself() throws Exception {
    // channel_analytics over 42 days instead of 30 as measured beside a busy neighbour: a new
    // plan, buffers per call 1,458 -> 1,823; 1 thread 5% slower, 2 threads 18% faster
    SyntheticRun base = SyntheticRun.named("a");
    base.query("channel_analytics")
        .median(6.2)
        .noise(0.03, 0)
        .replicates(1, 20)
        .counters(1458, 5)
        .plan("plan_index.json");
    base.query("channel_analytics").threads(2).median(7.2).noise(0.03, 0).replicates(1, 20);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("channel_analytics")
        .median(6.5)
        .noise(0.03, 0)
        .replicates(1, 20)
        .counters(1823, 5)
        .plan("plan_seqscan.json");
    cur.query("channel_analytics").threads(2).median(5.9).noise(0.03, 0).replicates(1, 20);

    QueryDiff q = compare(base, cur, new Random(48)).queries().get(0);

    assertThat(q.series()).extracting(s -> s.verdict().name()).contains("FASTER");
    assertThat(q.status()).isEqualTo(Status.CHANGED);
    assertThat(q.notes())
        .anySatisfy(n -> assertThat(n).startsWith("timing disagrees with itself (avgt, 2 threads"));
  }

  @Test
  void onABusyMachineANewPlanTouchingMoreBuffersStillCounts() throws Exception {
    // timing says faster (noise), the counters say the plan got worse
    QueryDiff q =
        fetchAmongBusy(
            46,
            f -> f.median(0.6).counters(53, 50).plan("plan_index.json"),
            f -> f.median(0.5).counters(2090, 50).plan("plan_seqscan.json"));

    assertThat(q.status()).isEqualTo(Status.REGRESSED);
    assertThat(q.notes()).anySatisfy(n -> assertThat(n).startsWith("timing too noisy to judge"));
  }

  @Test
  void onABusyMachineAQuarterMoreBuffersOnTheSamePlanStillCounts() throws Exception {
    // channel_analytics over 42 days as measured at load 6-10: the same plan, buffers per call
    // 1,477 -> 1,829, and timing drowned (whole runs drifting 20-67%)
    QueryDiff q =
        fetchAmongBusy(
            49,
            f -> f.median(12).counters(1477, 5).plan("plan_index.json"),
            f -> f.median(12).counters(1829, 5).plan("plan_index.json"));

    assertThat(q.status()).isEqualTo(Status.REGRESSED);
    assertThat(q.notes())
        .anySatisfy(n -> assertThat(n).endsWith("each call touches more buffers on the same plan"));
  }

  /** message_fetch as {@code base} and {@code cur} set it, beside the busy queries. */
  private QueryDiff fetchAmongBusy(
      long seed, Consumer<SyntheticRun.Query> base, Consumer<SyntheticRun.Query> cur)
      throws Exception {
    SyntheticRun a = busy("a", false);
    base.accept(a.query("message_fetch"));
    SyntheticRun b = busy("b", false);
    cur.accept(b.query("message_fetch"));
    return compare(a, b, new Random(seed)).queries().stream()
        .filter(d -> d.name().equals("message_fetch"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aQueryWhoseConfigurationsDisagreeOnTheSameWorkIsNotARegression() throws Exception {
    // What a busy neighbour did to a real A/A pair: 2-thread throughput 35% lower, 1-thread
    // latency 15% lower, plan, buffers and rows the same.
    Random random = new Random(5);
    SyntheticRun base = disagreeing("a", 6.2, 502);
    SyntheticRun cur = disagreeing("b", 5.3, 372);

    QueryDiff q = compare(base, cur, random).queries().get(0);

    assertThat(q.series()).extracting(s -> s.verdict().name()).contains("SLOWER");
    assertThat(q.status()).isEqualTo(Status.UNCHANGED);
    assertThat(q.notes())
        .anySatisfy(n -> assertThat(n).startsWith("timing disagrees with itself (avgt, 1 thread"));
  }

  @Test
  void tenTimesSlowerOnTheSameWorkIsInconclusiveNeverUnchanged() throws Exception {
    // the configurations disagree as above, but one is ten times slower: not noise, and the
    // plan, buffers and rows say the work did not change, so neither verdict holds
    Random random = new Random(5);
    SyntheticRun base = disagreeing("a", 6.2, 502);
    SyntheticRun cur = disagreeing("b", 5.3, 50);

    Comparison c = compare(base, cur, random);
    QueryDiff q = c.queries().get(0);

    assertThat(q.status()).isEqualTo(Status.INCONCLUSIVE);
    assertThat(q.notes()).anySatisfy(n -> assertThat(n).startsWith("inconclusive: timing says"));
    assertThat(Words.headline(c)).isEqualTo("1 inconclusive");
  }

  @Test
  void aSlowdownUnderContentionAloneIsStillARegression() throws Exception {
    // 2 threads 30% slower, 1 thread unchanged: added contention, not noise
    Random random = new Random(6);
    SyntheticRun base = SyntheticRun.named("a");
    base.query("send_message").mode("avgt").median(2.5).noise(0.03, 0).counters(84, 1);
    base.query("send_message").mode("thrpt").threads(2).median(800).noise(0.03, 0);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("send_message").mode("avgt").median(2.5).noise(0.03, 0).counters(84, 1);
    cur.query("send_message").mode("thrpt").threads(2).median(560).noise(0.03, 0);

    assertThat(compare(base, cur, random).queries().get(0).status()).isEqualTo(Status.REGRESSED);
  }

  @Test
  void aQuarterSlowerQueryIsCaughtAndOnlyThatOne() throws Exception {
    Random random = new Random(7);
    int caught = 0;
    int trials = 50;
    for (int t = 0; t < trials; t++) {
      Comparison c = compare(workload("a", 0.05, 0.01, 1), workload("b", 0.05, 0.01, 1.25), random);
      if (c.regressions().stream().map(QueryDiff::name).toList().equals(List.of("unread_count"))) {
        caught++;
      }
    }
    // power: 95% or better (the noise band, estimated from the other queries, costs a little)
    assertThat(caught).isGreaterThanOrEqualTo(trials * 95 / 100);
  }

  @Test
  void throughputIsHigherIsBetter() throws Exception {
    Random random = new Random(1);
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").mode("thrpt").median(1000).noise(0.03, 0.01);
    SyntheticRun fewer = SyntheticRun.named("b");
    fewer.query("message_fetch").mode("thrpt").median(750).noise(0.03, 0.01);
    SyntheticRun more = SyntheticRun.named("c");
    more.query("message_fetch").mode("thrpt").median(1300).noise(0.03, 0.01);

    QueryDiff dropped = compare(base, fewer, random).queries().get(0);
    assertThat(dropped.status()).isEqualTo(Status.REGRESSED);
    assertThat(dropped.primary().change()).isGreaterThan(0.25);
    assertThat(Words.change(dropped.primary())).endsWith("slower");

    QueryDiff raised = compare(base, more, random).queries().get(0);
    assertThat(raised.status()).isEqualTo(Status.IMPROVED);
    assertThat(Words.change(raised.primary())).endsWith("faster");
  }

  @Test
  void aDroppedIndexIsNamedWithThePlanChangeAndTheBuffers() throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(0.6).counters(53, 50).plan("plan_index.json");
    SyntheticRun cur =
        SyntheticRun.named("b").withoutIndex("public.messages_conversation_created_idx");
    cur.query("message_fetch").median(27).counters(2090, 50).plan("plan_seqscan.json");

    QueryDiff q = compare(base, cur, new Random(5)).queries().get(0);

    assertThat(q.status()).isEqualTo(Status.REGRESSED);
    assertThat(q.causes())
        .anySatisfy(
            c ->
                assertThat(c)
                    .contains("the plan changed")
                    .contains("Index Scan using messages_conversation_created_idx on messages")
                    .contains("Seq Scan on messages"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .isEqualTo(
                        "index messages_conversation_created_idx is gone: the baseline's plan used it,"
                            + " the current database has no such index"))
        .anySatisfy(c -> assertThat(c).startsWith("shared buffers per call grew 53.0 → 2090"));
  }

  @Test
  void fewReplicatesCountOnlyWhenCountersConfirm() throws Exception {
    Random random = new Random(11);
    // 3 iterations: the rank test can never reach significance
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(1).replicates(1, 3).counters(53, 50).plan("plan_index.json");
    base.query("unread_count").median(1).replicates(1, 3).counters(12, 1);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch")
        .median(1.4)
        .replicates(1, 3)
        .counters(2090, 50)
        .plan("plan_seqscan.json");
    cur.query("unread_count").median(1.4).replicates(1, 3).counters(12, 1);

    Comparison c = compare(base, cur, random);

    assertThat(c.warnings()).anySatisfy(w -> assertThat(w).startsWith("too few replicates"));
    assertThat(c.queries().get(0).status()).isEqualTo(Status.REGRESSED);
    assertThat(c.queries().get(0).notes())
        .anySatisfy(n -> assertThat(n).contains("counters confirm"));
    assertThat(c.queries().get(1).status()).isEqualTo(Status.UNCHANGED);
    assertThat(c.queries().get(1).primary().verdict())
        .isEqualTo(Comparison.SeriesVerdict.INCONCLUSIVE);
  }

  @Test
  void countersWorseWithoutSlowdownIsAWarningNotARegression() throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(1).counters(53, 50).plan("plan_index.json");
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(1).counters(400, 50).plan("plan_seqscan.json");

    Comparison c = compare(base, cur, new Random(2));

    assertThat(c.queries().get(0).status()).isEqualTo(Status.CHANGED);
    assertThat(c.regressions()).isEmpty();
  }

  @Test
  void queriesInOneRunOnlyAreNewOrRemoved(@TempDir Path out) throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(1);
    base.query("old_query").median(1);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(1);
    cur.query("new_query").median(1);
    Path b = base.write(tmp.resolve("b1"), new Random(1));
    Path c = cur.write(tmp.resolve("c1"), new Random(2));

    Compare.Result r = Compare.run(b, c, CompareOptions.defaults(), out, null);

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.comparison().queries())
        .extracting(QueryDiff::name, QueryDiff::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("message_fetch", Status.UNCHANGED),
            org.assertj.core.groups.Tuple.tuple("old_query", Status.REMOVED),
            org.assertj.core.groups.Tuple.tuple("new_query", Status.NEW));
    assertThat(out.resolve("compare.md")).exists();
    assertThat(out.resolve("compare.html")).exists();
    assertThat(out.resolve("compare.json")).exists();
  }

  @Test
  void aRegressionExitsOneAndIsWrittenInEveryFormat(@TempDir Path out) throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(1);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(1.3);
    Path b = base.write(tmp.resolve("b2"), new Random(1));
    Path c = cur.write(tmp.resolve("c2"), new Random(2));
    Path summary = tmp.resolve("step-summary.md");

    Compare.Result r = Compare.run(b, c, CompareOptions.defaults(), out, summary);

    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(Files.readString(out.resolve("compare.md")))
        .contains("1 regression")
        .contains("`message_fetch` | ❌ regressed");
    assertThat(Files.readString(out.resolve("compare.json")))
        .contains("\"verdict\" : \"regression\"");
    assertThat(Files.readString(summary)).contains("critpath compare");
    assertThat(r.annotations())
        .singleElement()
        .asString()
        .startsWith("::error ")
        .contains("title=critpath regression%3A message_fetch::")
        .contains("slower");
  }

  @Test
  void aRealRunComparedWithItselfIsUnchangedEverywhere(@TempDir Path out) {
    Path real = Path.of("src/test/resources/runs/real-bench");
    Compare.Result r = Compare.run(real, real, CompareOptions.defaults(), out, null);
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.comparison().queries())
        .extracting(QueryDiff::status)
        .containsOnly(Status.UNCHANGED, Status.NOT_COMPARED);
    assertThat(r.comparison().queries().get(0).series()).isNotEmpty();
    assertThat(r.annotations()).isEmpty();
  }

  @Test
  void aRunThatLostConnectionsSaysItsNumbersIncludeTheOutage(@TempDir Path out) {
    Path real = Path.of("src/test/resources/runs/real-bench");
    Path lost = Path.of("src/test/resources/runs/real-bench-connection-errors");
    Compare.Result r = Compare.run(real, lost, CompareOptions.defaults(), out, null);
    QueryDiff fetch =
        r.comparison().queries().stream()
            .filter(q -> q.name().equals("message_fetch"))
            .findFirst()
            .orElseThrow();
    assertThat(fetch.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("the current run lost 2 connection errors (first: ")
                    .endsWith("measuring rls_on: its numbers include the outage"));
    assertThat(r.comparison().queries())
        .filteredOn(q -> !q.name().equals("message_fetch"))
        .allSatisfy(q -> assertThat(q.notes()).noneMatch(n -> n.contains("lost")));
  }

  @Test
  void aQueryThatStoppedWorkingIsARegressionAndOneWithoutTimingIsNotCalledUnchanged()
      throws Exception {
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(1);
    base.query("unread_count").median(1).counters(10, 1).replicates(1, 1);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(1).failed("relation \"messages\" does not exist");
    cur.query("unread_count").median(1).counters(10, 1).replicates(1, 1);

    Comparison c = compare(base, cur, new Random(4));

    assertThat(c.queries().get(0).status()).isEqualTo(Status.REGRESSED);
    assertThat(c.queries().get(0).causes().get(0))
        .isEqualTo("the current run could not measure it: relation \"messages\" does not exist");
    assertThat(c.queries().get(1).status()).isEqualTo(Status.NOT_COMPARED);
  }

  @Test
  void differentDatasetsAreFlaggedAsNotComparable() throws Exception {
    SyntheticRun base = SyntheticRun.named("a").fingerprint("ds-1");
    base.query("message_fetch").median(1);
    SyntheticRun cur = SyntheticRun.named("b").fingerprint("ds-2");
    cur.query("message_fetch").median(1.3);

    Comparison c = compare(base, cur, new Random(3));

    assertThat(c.comparable()).isFalse();
    assertThat(c.warnings()).anySatisfy(w -> assertThat(w).startsWith("NOT COMPARABLE"));
    assertThat(c.queries().get(0).causes())
        .anySatisfy(x -> assertThat(x).contains("datasets differ"));
  }

  @Test
  void missingMalformedOrNewerBaselinesAreClearErrors(@TempDir Path out) throws Exception {
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(1);
    Path c = cur.write(tmp.resolve("c3"), new Random(1));

    assertThatThrownBy(
            () -> Compare.run(tmp.resolve("nope"), c, CompareOptions.defaults(), out, null))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("baseline run not found: ");

    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("run.json"), "{\"schemaVersion\": 2, \"runId\": ");
    assertThatThrownBy(() -> Compare.run(broken, c, CompareOptions.defaults(), out, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("baseline run unusable")
        .hasMessageContaining("is not valid JSON");

    Path newer =
        SyntheticRun.named("n").schemaVersion(99).write(tmp.resolve("newer"), new Random(1));
    assertThatThrownBy(() -> Compare.run(newer, c, CompareOptions.defaults(), out, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("schemaVersion 99")
        .hasMessageContaining("reads version " + RunRecord.SCHEMA_VERSION);

    Path empty = SyntheticRun.named("e").write(tmp.resolve("empty"), new Random(1));
    Compare.Result r = Compare.run(empty, c, CompareOptions.defaults(), out, null);
    assertThat(r.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(r.problem()).contains("baseline run holds no query results");
  }

  @Test
  void aRegressedRowNeverHeadlinesFasterAndNamesTheConfigurationThatMovedTheOtherWay(
      @TempDir Path out) throws Exception {
    // three iterations: neither configuration is significant; the counters make it a regression
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch")
        .median(1.0)
        .replicates(1, 3)
        .counters(53, 50)
        .plan("plan_index.json");
    base.query("message_fetch").mode("thrpt").threads(2).median(1000).replicates(1, 3);
    SyntheticRun cur =
        SyntheticRun.named("b").withoutIndex("public.messages_conversation_created_idx");
    cur.query("message_fetch")
        .median(1.3)
        .replicates(1, 3)
        .counters(2090, 50)
        .plan("plan_seqscan.json");
    cur.query("message_fetch").mode("thrpt").threads(2).median(2240).replicates(1, 3);
    Random random = new Random(7);
    Path b = base.write(tmp.resolve("headline-a"), random);
    Path c = cur.write(tmp.resolve("headline-b"), random);

    Compare.Result r = Compare.run(b, c, CompareOptions.defaults(), out, null);

    QueryDiff q = r.comparison().queries().get(0);
    assertThat(q.status()).isEqualTo(Status.REGRESSED);
    assertThat(q.primary().change()).isPositive();
    assertThat(q.primary().label()).startsWith("avgt, 1 thread");
    String row =
        Files.readAllLines(out.resolve("compare.md")).stream()
            .filter(l -> l.startsWith("| `message_fetch`"))
            .findFirst()
            .orElseThrow();
    String change = row.split(" \\| ")[4];
    assertThat(change)
        .startsWith("+")
        .contains("slower (avgt, 1 thread, variant=rls_on)")
        .contains("the other way: thrpt, 2 threads, variant=rls_on")
        .endsWith("faster");
    assertThat(change.substring(0, change.indexOf("the other way"))).doesNotContain("faster");
  }

  @Test
  void runsOfDifferentDatasetsSchemasOrCritpathVersionsAreRefusedWithOneLine(@TempDir Path out)
      throws Exception {
    Random random = new Random(2);
    Path base = oneQuery(SyntheticRun.named("a")).write(tmp.resolve("mm-a"), random);
    Path data =
        oneQuery(SyntheticRun.named("d").fingerprint("ds-2")).write(tmp.resolve("mm-d"), random);
    Path schema =
        oneQuery(SyntheticRun.named("s").migrations("8", "ffff000011112222"))
            .write(tmp.resolve("mm-s"), random);
    Path tool =
        oneQuery(SyntheticRun.named("t").critpathVersion("0.2.0"))
            .write(tmp.resolve("mm-t"), random);
    CompareOptions o = CompareOptions.defaults();

    assertThatThrownBy(() -> Compare.run(base, data, o, out, null))
        .isInstanceOf(UserError.class)
        .hasMessage(
            "the runs measured different datasets (baseline tiny/ds-1, current tiny/ds-2):"
                + " re-seed both with the same profile and seed, or pass --allow-different dataset"
                + " to compare them anyway");
    assertThatThrownBy(() -> Compare.run(base, schema, o, out, null))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(
            "the runs measured different schemas (baseline version 7 checksum a1b2c3d4e5f60718,"
                + " current version 8 checksum ffff000011112222)")
        .hasMessageEndingWith("--allow-different schema to compare them anyway");
    assertThatThrownBy(() -> Compare.run(base, tool, o, out, null))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(
            "the runs measured different critpath versions (baseline 0.1.0-SNAPSHOT, current"
                + " 0.2.0)");
    // refused before anything is written
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }

    Compare.Gate acrossSchemas = new Compare.Gate(Set.of(RunDifference.SCHEMA), false);
    assertThat(Compare.run(base, schema, o, acrossSchemas, out, null).exitCode())
        .isEqualTo(ExitCode.OK);
    assertThatThrownBy(() -> Compare.run(base, data, o, acrossSchemas, out, null))
        .isInstanceOf(UserError.class);
  }

  @Test
  void twiceAsSlowWithoutTheEvidenceIsInconclusiveNamesWhatIsMissingAndFailsUnlessAllowed(
      @TempDir Path out) throws Exception {
    // the case: 3 iterations, no pg_stat_statements counters, no plans, x4.8 slower
    SyntheticRun base = SyntheticRun.named("a");
    base.query("message_fetch").median(5.37).replicates(1, 3);
    base.query("unread_count").median(1).replicates(1, 3);
    SyntheticRun cur = SyntheticRun.named("b");
    cur.query("message_fetch").median(25.9).replicates(1, 3);
    cur.query("unread_count").median(1).replicates(1, 3);
    Random random = new Random(4);
    Path b = base.write(tmp.resolve("few-a"), random);
    Path c = cur.write(tmp.resolve("few-b"), random);

    Compare.Result strict = Compare.run(b, c, CompareOptions.defaults(), out, null);

    QueryDiff q = strict.comparison().queries().get(0);
    assertThat(q.status()).isEqualTo(Status.INCONCLUSIVE);
    assertThat(q.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("inconclusive: avgt, 1 thread, variant=rls_on is ×4.")
                    .contains("replicates: 3 vs 3 iterations")
                    .contains("counters: no pg_stat_statements counters in either run")
                    .contains("plans: no explain section in either run"));
    assertThat(strict.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(strict.problem()).contains("--allow-inconclusive");

    Compare.Result allowed =
        Compare.run(b, c, CompareOptions.defaults(), new Compare.Gate(Set.of(), true), out, null);
    assertThat(allowed.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(allowed.comparison().queries().get(0).status()).isEqualTo(Status.INCONCLUSIVE);
  }

  /**
   * channel_analytics on the same work (plan, buffers, rows): 1-thread latency and 2-thread
   * throughput at the given medians, so a pair of them can move in opposite directions.
   */
  private static SyntheticRun disagreeing(String id, double latencyMs, double opsPerSecond) {
    SyntheticRun run = SyntheticRun.named(id);
    run.query("channel_analytics").mode("avgt").median(latencyMs).noise(0.03, 0).counters(2100, 5);
    run.query("channel_analytics").mode("thrpt").threads(2).median(opsPerSecond).noise(0.03, 0);
    return run;
  }

  private static SyntheticRun oneQuery(SyntheticRun run) {
    run.query("message_fetch").median(1);
    return run;
  }
}
