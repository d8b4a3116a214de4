package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.CounterDiff;
import dev.critpath.report.env.Environment;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.PlanNode;
import dev.critpath.report.model.PlanParser;
import dev.critpath.report.model.PlanView;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import java.util.ArrayList;
import java.util.List;

/**
 * The second signal: counters both runs recorded (plan shape, indexes used, shared buffers, rows
 * per call), and what they say about a change.
 */
final class CounterComparison {
  /** A block or two either way is page-boundary noise, not a different access path. */
  private static final double MIN_BLOCKS_SERVER = 2;

  /** One captured execution: more than double, and by more than a few pages. */
  private static final double PLAN_BUFFER_TOLERANCE = 1.0;

  private static final double MIN_BLOCKS_PLAN = 8;

  final List<CounterDiff> diffs = new ArrayList<>();
  final List<String> causes = new ArrayList<>();
  boolean worse;
  boolean planChanged;
  boolean buffersGrew;

  private CounterComparison() {}

  static CounterComparison of(CompareOptions options, QueryView b, QueryView c, RunView current) {
    CounterComparison out = new CounterComparison();
    out.plan(b.plan(), c.plan());
    out.indexes(b.plan(), c.plan(), current.environment());
    out.buffers(options, b, c);
    out.rows(options, b, c);
    return out;
  }

  private void plan(PlanView pb, PlanView pc) {
    // shapes computed here from both raw plans compare alike; otherwise trust the fingerprints
    String shapeB = pb.shape();
    String shapeC = pc.shape();
    if (shapeB != null && shapeC != null && pb.fromRawPlan() == pc.fromRawPlan()) {
      planChanged = !shapeB.equals(shapeC);
      diffs.add(new CounterDiff("plan", shapeB, shapeC, planChanged));
    } else if (pb.fingerprint() != null && pc.fingerprint() != null) {
      planChanged = !pb.fingerprint().equals(pc.fingerprint());
      diffs.add(
          new CounterDiff("plan fingerprint", pb.fingerprint(), pc.fingerprint(), planChanged));
    }
    if (planChanged) {
      worse = true;
      causes.add(
          "the plan changed: "
              + (shapeB != null && shapeC != null
                  ? shapeB + "  ⇒  " + shapeC
                  : "fingerprint " + pb.fingerprint() + " ⇒ " + pc.fingerprint()));
      PlanNode hot = hotNode(pc);
      if (hot != null) {
        causes.add("hot node now: " + hot.label());
      }
    }
  }

  private void indexes(PlanView pb, PlanView pc, Environment currentEnv) {
    for (String index : pb.indexesUsed()) {
      if (!pc.indexesUsed().contains(index)) {
        worse = true;
        Boolean exists = indexExists(currentEnv, index);
        if (Boolean.FALSE.equals(exists)) {
          causes.add(
              "index "
                  + index
                  + " is gone: the baseline's plan used it, the current database has no such index");
        } else {
          causes.add("the plan no longer uses index " + index);
        }
      }
    }
  }

  private void buffers(CompareOptions options, QueryView b, QueryView c) {
    // pg_stat_statements averages thousands of calls; a captured plan is one execution, whose
    // buffer count moves with hint bits and page pruning, so it must move much more to count
    Double bufB = b.server().sharedBuffersPerCall();
    Double bufC = c.server().sharedBuffersPerCall();
    double tolerance = options.counterTolerance();
    double minBlocks = MIN_BLOCKS_SERVER;
    String label = "shared buffers per call";
    if (bufB == null || bufC == null) {
      bufB = b.plan().sharedBuffers();
      bufC = c.plan().sharedBuffers();
      tolerance = PLAN_BUFFER_TOLERANCE;
      minBlocks = MIN_BLOCKS_PLAN;
      label = "shared buffers of the captured plan";
    }
    if (bufB == null || bufC == null) {
      return;
    }
    boolean grew = bufC > bufB * (1 + tolerance) && bufC - bufB >= minBlocks;
    diffs.add(new CounterDiff(label, Fmt.num(bufB), Fmt.num(bufC), grew));
    if (grew) {
      worse = true;
      buffersGrew = true;
      causes.add(
          label
              + " grew "
              + Fmt.num(bufB)
              + " → "
              + Fmt.num(bufC)
              + " (×"
              + Fmt.num(bufC / Math.max(bufB, 1e-9))
              + ")");
    }
  }

  private void rows(CompareOptions options, QueryView b, QueryView c) {
    Double rowsB = rowsPerCall(b);
    Double rowsC = rowsPerCall(c);
    if (rowsB == null || rowsC == null) {
      return;
    }
    boolean differ = Math.abs(rowsC - rowsB) > options.counterTolerance() * Math.max(rowsB, 1);
    diffs.add(new CounterDiff("rows per call", Fmt.num(rowsB), Fmt.num(rowsC), false));
    if (differ) {
      causes.add(
          "rows per call changed "
              + Fmt.num(rowsB)
              + " → "
              + Fmt.num(rowsC)
              + ": the query now does different work (data or parameters differ)");
    }
  }

  private static PlanNode hotNode(PlanView plan) {
    if (plan.root() == null || plan.hotNodeId() < 0) {
      return null;
    }
    return PlanParser.flatten(plan.root()).stream()
        .filter(n -> n.id() == plan.hotNodeId())
        .findFirst()
        .orElse(null);
  }

  /**
   * Whether the run's environment lists the index (by bare or schema-qualified name); null when
   * unknown.
   */
  private static Boolean indexExists(Environment env, String index) {
    if (env == null || env.postgres() == null || env.postgres().indexes() == null) {
      return null;
    }
    for (String qualified : env.postgres().indexes().keySet()) {
      if (qualified.equals(index) || qualified.endsWith("." + index)) {
        return true;
      }
    }
    return false;
  }

  private static Double rowsPerCall(QueryView q) {
    if (q.server().rowsPerCall() != null) {
      return q.server().rowsPerCall();
    }
    PlanNode root = q.plan().root();
    return root == null ? null : root.rows();
  }
}
