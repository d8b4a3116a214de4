package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a query's entry of run.json's "explain" section: its plans, warnings and checks. */
final class ExplainReader {
  private ExplainReader() {}

  /**
   * What the explain stage recorded about one query.
   *
   * @param plan the hot plan
   * @param warnings every captured plan's warnings, statements in functions included
   * @param checks whether the plan was captured, and the catalog's expectations evaluated on it
   * @param notes generic plan, not-executed and what-if facts
   */
  record QueryPlan(
      PlanView plan, List<FindingView> warnings, List<CheckResult> checks, List<String> notes) {}

  /** A query's explain entry; an absent one reads as no plan, no checks. */
  static QueryPlan read(JsonNode explain, Path dir, List<String> runNotes) {
    if (explain == null) {
      return new QueryPlan(PlanView.none(), List.of(), List.of(), List.of());
    }
    List<CheckResult> checks = new ArrayList<>();
    String error = J.str(explain, "error");
    checks.add(
        BenchReader.ranCheck(RunReader.PLAN_CAPTURED, error == null ? "ok" : "failed", error));
    checks.addAll(checks(J.get(explain, "expectations"), CheckResult.Kind.EXPECTATION));
    List<JsonNode> plans = J.list(J.get(explain, "plans"), "variant");
    PlanView hot = plan(plans.isEmpty() ? null : plans.get(0), dir, runNotes);
    return new QueryPlan(hot, warnings(plans), checks, notes(explain));
  }

  /** Every captured plan's warnings (hot, cold, generic), statements in functions included. */
  private static List<FindingView> warnings(List<JsonNode> plans) {
    List<FindingView> warnings = new ArrayList<>();
    for (JsonNode captured : plans) {
      String variant = J.str(captured, "variant");
      String prefix = variant == null || "hot".equals(variant) ? "" : variant + " plan: ";
      for (FindingView w : FindingReader.findings(J.get(J.get(captured, "analysis"), "warnings"))) {
        warnings.add(prefixed(w, prefix));
      }
      for (JsonNode nested : J.list(J.get(captured, "nested"), "queryText")) {
        String statement = J.str(nested, "queryText");
        String where =
            prefix + (statement == null ? "nested statement" : abbreviate(statement)) + ": ";
        for (FindingView w : FindingReader.findings(J.get(nested, "warnings"))) {
          warnings.add(prefixed(w, where));
        }
      }
    }
    return warnings;
  }

  private static List<String> notes(JsonNode explain) {
    List<String> queryNotes = new ArrayList<>();
    JsonNode generic = J.get(explain, "generic");
    if (generic != null && Boolean.TRUE.equals(J.bool(generic, "differs"))) {
      queryNotes.add(
          "the generic plan (used by prepared statements after 5 runs) differs: "
              + J.str(generic, "shape")
              + (Boolean.TRUE.equals(J.bool(generic, "chosenAfterFiveRuns"))
                  ? " (and the server switched to it)"
                  : ""));
    }
    String notExecuted = J.str(explain, "notExecuted");
    if (notExecuted != null) {
      queryNotes.add(notExecuted);
    }
    for (JsonNode w : J.list(J.get(explain, "whatIf"), "index")) {
      Double msBefore = J.num(w, "msBefore");
      queryNotes.add(
          "what-if ("
              + J.str(w, "kind")
              + " "
              + J.str(w, "index")
              + "): "
              + (msBefore == null
                  ? ""
                  : Fmt.ms(msBefore) + " → " + Fmt.ms(J.num(w, "msAfter")) + " measured, ")
              + "cost "
              + Fmt.num(J.num(w, "costBefore"))
              + " → "
              + Fmt.num(J.num(w, "costAfter"))
              + (Boolean.TRUE.equals(J.bool(w, "planChanged")) ? ", plan changes" : "")
              + (J.str(w, "verdict") == null ? "" : ": " + J.str(w, "verdict")));
    }
    return queryNotes;
  }

  private static FindingView prefixed(FindingView w, String prefix) {
    if (prefix.isEmpty()) {
      return w;
    }
    String subject =
        w.subject() == null ? prefix.substring(0, prefix.length() - 2) : prefix + w.subject();
    return new FindingView(w.rule(), w.severity(), subject, w.message(), w.fix());
  }

  private static String abbreviate(String sql) {
    String one = sql.replaceAll("\\s+", " ").trim();
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }

  /**
   * A captured plan: {@code file} (the raw EXPLAIN JSON, relative to the run directory) parsed into
   * a tree, and {@code analysis} (fingerprint, shape, facts) as the explain stage recorded it.
   */
  private static PlanView plan(JsonNode captured, Path dir, List<String> notes) {
    if (captured == null) {
      return PlanView.none();
    }
    String file = J.str(captured, "file");
    PlanView parsed = null;
    if (file != null) {
      Path path = dir.resolve(file);
      if (Files.isRegularFile(path)) {
        try {
          parsed = PlanParser.parse(Json.mapper().readTree(path.toFile()), file);
        } catch (IOException e) {
          notes.add("plan file " + file + " is not valid JSON; its plan tree is left out");
        }
      } else {
        notes.add("plan file " + file + " is missing; its plan tree is left out");
      }
    }
    JsonNode analysis = J.get(captured, "analysis");
    JsonNode facts = J.get(analysis, "facts");
    List<String> indexes = new ArrayList<>();
    for (JsonNode use : J.list(J.get(facts, "indexesUsed"), "index")) {
      String index = use.isTextual() ? use.asText() : J.str(use, "index");
      if (index != null && !indexes.contains(index)) {
        indexes.add(index);
      }
    }
    if (parsed != null) {
      return new PlanView(
          parsed.file(),
          parsed.fingerprint(),
          parsed.shape(),
          true,
          parsed.indexesUsed(),
          parsed.root(),
          parsed.hotNodeId(),
          parsed.executionMs() != null ? parsed.executionMs() : J.num(facts, "executionMs"),
          parsed.planningMs() != null ? parsed.planningMs() : J.num(facts, "planningMs"),
          J.num(facts, "sharedHit"),
          J.num(facts, "sharedRead"));
    }
    return new PlanView(
        file,
        J.str(analysis, "fingerprint"),
        J.str(analysis, "shape"),
        false,
        indexes,
        null,
        -1,
        J.num(facts, "executionMs"),
        J.num(facts, "planningMs"),
        J.num(facts, "sharedHit"),
        J.num(facts, "sharedRead"));
  }

  // ---------------------------------------------------------------- checks and findings

  /**
   * Checks with an outcome: {@code passed} (boolean) or {@code status}; named by {@code
   * expectation}, {@code name}, {@code threshold} or {@code text}; with {@code evidence} and {@code
   * location}.
   */
  static List<CheckResult> checks(JsonNode node, CheckResult.Kind kind) {
    List<CheckResult> out = new ArrayList<>();
    for (JsonNode c : J.list(node, "name")) {
      String name = J.str(c, "expectation", "name", "threshold", "text");
      Boolean passed = J.bool(c, "passed", "pass");
      String skipped = J.str(c, "skipped");
      Status status =
          skipped != null
              ? Status.SKIP
              : passed != null
                  ? (passed ? Status.PASS : Status.FAIL)
                  : Status.parse(J.str(c, "status"));
      String evidence = skipped != null ? skipped : J.str(c, "evidence", "note");
      String location = J.str(c, "location");
      if (location != null) {
        evidence = (evidence == null ? "" : evidence + " ") + "(" + location + ")";
      }
      out.add(new CheckResult(kind, name, status, J.str(c, "actual"), evidence, location));
    }
    return out;
  }
}
