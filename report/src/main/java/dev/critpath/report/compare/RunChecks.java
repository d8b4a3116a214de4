package dev.critpath.report.compare;

import dev.critpath.report.env.Environment;
import dev.critpath.report.model.RunView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Run-level checks: whether two runs measured the same data on a like environment. */
final class RunChecks {
  private RunChecks() {}

  /** False when the runs measured different datasets; warns when it cannot tell. */
  static boolean datasetsMatch(RunView b, RunView c, List<String> warnings) {
    if (b.dataset() == null || c.dataset() == null) {
      if (b.dataset() != c.dataset()) {
        warnings.add(
            "only one run records its dataset: cannot tell whether both measured the same data");
      }
      return true;
    }
    String fb = b.dataset().fingerprint();
    String fc = c.dataset().fingerprint();
    if (fb != null && fc != null && !fb.equals(fc)) {
      warnings.add(
          "NOT COMPARABLE: the runs measured different datasets (baseline "
              + describe(b)
              + ", current "
              + describe(c)
              + "); re-seed both with the same profile and seed before trusting a regression");
      return false;
    }
    if (!Objects.equals(b.dataset().profile(), c.dataset().profile())) {
      warnings.add(
          "NOT COMPARABLE: dataset profiles differ ("
              + b.dataset().profile()
              + " vs "
              + c.dataset().profile()
              + ")");
      return false;
    }
    return true;
  }

  private static String describe(RunView r) {
    return r.dataset().profile() + "/" + r.dataset().fingerprint();
  }

  static void environmentWarnings(RunView b, RunView c, List<String> warnings) {
    if (b.schemaVersion() != c.schemaVersion()) {
      warnings.add(
          "the runs use run.json schema versions "
              + b.schemaVersion()
              + " and "
              + c.schemaVersion()
              + ": fields one version lacks are not compared");
    }
    if (!b.completed()) {
      warnings.add("the baseline run did not complete: queries it missed show as new");
    }
    if (!c.completed()) {
      warnings.add("the current run did not complete: queries it missed show as removed");
    }
    Environment eb = b.environment();
    Environment ec = c.environment();
    if (eb == null || ec == null) {
      return;
    }
    if (eb.postgres() != null && ec.postgres() != null) {
      postgresWarnings(eb.postgres(), ec.postgres(), warnings);
    }
    if (eb.host() != null
        && ec.host() != null
        && !Objects.equals(eb.host().cores(), ec.host().cores())) {
      warnings.add(
          "the runs ran on machines with different core counts ("
              + eb.host().cores()
              + " vs "
              + ec.host().cores()
              + "): compare on the same runner");
    }
  }

  private static void postgresWarnings(
      Environment.Postgres pb, Environment.Postgres pc, List<String> warnings) {
    if (!Objects.equals(pb.version(), pc.version())) {
      warnings.add("different PostgreSQL versions: " + pb.version() + " vs " + pc.version());
    }
    Map<String, String> sb = pb.settings() == null ? Map.of() : pb.settings();
    Map<String, String> sc = pc.settings() == null ? Map.of() : pc.settings();
    List<String> differ = new ArrayList<>();
    for (String k : new TreeSet<>(sb.keySet())) {
      if (sc.containsKey(k) && !Objects.equals(sb.get(k), sc.get(k))) {
        differ.add(k + " " + sb.get(k) + " → " + sc.get(k));
      }
    }
    if (!differ.isEmpty()) {
      warnings.add("server settings differ: " + String.join(", ", differ));
    }
  }

  static Comparison.Run run(RunView r) {
    String commit =
        r.environment() == null || r.environment().critpath() == null
            ? null
            : r.environment().critpath().gitCommit();
    return new Comparison.Run(
        r.runId(),
        r.directory() == null ? null : r.directory().toString(),
        r.schemaVersion(),
        commit);
  }
}
