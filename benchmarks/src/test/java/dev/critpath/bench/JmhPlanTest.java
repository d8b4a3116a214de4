package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

/** Which JMH measurements a bench stage plans for the reference catalog. */
class JmhPlanTest {

  private static List<JmhPlan> plan(List<Integer> levels) {
    List<PathRun> runs =
        BenchPath.select(QueryCatalog.builtin(), List.of("message_fetch", "send_message")).stream()
            .map(
                p ->
                    new PathRun(
                        p,
                        p.entry().variants(),
                        p.commit() == dev.critpath.run.WriteCommit.ROLLED_BACK
                            ? List.of()
                            : List.of(p.entry().variants().get(0))))
            .toList();
    return JmhPlan.plan(runs, levels);
  }

  @Test
  void everyLevelSamplesLatencyAndNoSeparateThroughputRunIsNeeded() {
    List<JmhPlan> plans = plan(List.of(2, 8));
    assertThat(plans).extracting(JmhPlan::mode).containsOnly(Mode.SampleTime);
    assertThat(plans)
        .filteredOn(p -> p.threads() > 1)
        .extracting(JmhPlan::threads)
        .containsExactly(2, 8);
    // at 1 thread every variant; above it the main variant of each path measured under load
    assertThat(plans)
        .filteredOn(p -> p.threads() == 1)
        .extracting(JmhPlan::variant)
        .containsExactly(Variant.RLS_ON, Variant.RLS_OFF, Variant.PLAIN);
    JmhPlan two = plans.stream().filter(p -> p.threads() == 2).findFirst().orElseThrow();
    assertThat(two.paths()).containsExactly("message_fetch", "send_message [committed]");
  }

  @Test
  void oneThreadInTheLevelsIsTheLatencyMeasurementItself() {
    List<JmhPlan> plans = plan(List.of(1, 2));
    assertThat(plans).filteredOn(p -> p.threads() == 1).hasSize(3);
    assertThat(plans).filteredOn(p -> p.threads() == 2).hasSize(1);
    JmhPlan oneThreadRlsOn = plans.get(0);
    assertThat(oneThreadRlsOn.paths())
        .containsExactly("message_fetch", "send_message [committed]", "send_message [rolledBack]");
  }
}
