package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One catalog expectation ({@code -- expect: ...}), interpreted. Checked against every plan
 * captured for the query (hot and cold parameters, and the generic plan when the server would
 * switch to it); structural forms also look inside the plans of statements the query's functions
 * ran. The forms:
 *
 * <ul>
 *   <li>{@code uses index NAME}, {@code uses index NAME or NAME ...} (any one of them: the planner
 *       may rightly pick another index for a hot key than for a cold one)
 *   <li>{@code no seq scan on TABLE}, {@code no seq scan}
 *   <li>{@code shared buffers <= N} (hit + read), {@code shared read <= N}, {@code temp blocks <=
 *       N}
 *   <li>{@code execution < 50ms}, {@code planning < 5 ms} (units us, ms, s)
 *   <li>{@code rows <= N} (rows the statement returned)
 *   <li>{@code no RULE} for any plan rule, e.g. {@code no row-misestimate-100x}
 * </ul>
 *
 * Operators: {@code < <= = >= >}.
 *
 * <p>Any form may end in {@code when TABLE >= N rows}: a plan expectation that only holds on enough
 * data (on a small table the planner rightly reads it whole) is then skipped, with that reason,
 * while TABLE holds fewer rows (pg_class.reltuples); it is checked as usual from N rows on.
 */
public final class ExpectationCheck {
  /** The forms, for error messages. */
  public static final String FORMS =
      "uses index NAME [or NAME...]; no seq scan [on TABLE]; shared buffers|shared read|temp blocks OP N;"
          + " execution|planning OP N ms; rows OP N; no RULE (a plan rule such as"
          + " row-misestimate-100x)";

  private static final Pattern USES_INDEX = Pattern.compile("uses index (\\S+(?: or \\S+)*)");
  private static final Pattern NO_SEQ = Pattern.compile("no seq(?:uential)? scans?(?: on (\\S+))?");
  private static final Pattern COUNTER =
      Pattern.compile(
          "(shared buffers|buffers|shared read|shared hit|temp blocks|rows)\\s*(<=|>=|<|>|=)\\s*([0-9_,]+)");
  private static final Pattern TIME =
      Pattern.compile(
          "(execution|planning)(?: time)?\\s*(<=|>=|<|>|=)\\s*([0-9.]+)\\s*(us|µs|ms|s)");
  private static final Pattern NO_RULE = Pattern.compile("no ([a-z0-9-]+)");
  private static final Pattern WHEN = Pattern.compile("(.+?) when (\\S+) ?(>=|>) ?([0-9_,]+) rows");

  /**
   * The data an expectation needs before it can hold: at least {@code minRows} in {@code table}.
   */
  record Condition(String table, long minRows) {}

  /** One plan an expectation is checked against. */
  public record Subject(String variant, PlanAnalysis plan, List<PlanAnalysis> nested) {
    List<PlanAnalysis> all() {
      List<PlanAnalysis> out = new ArrayList<>();
      out.add(plan);
      out.addAll(nested);
      return out;
    }
  }

  /**
   * The outcome.
   *
   * @param passed whether it held; null when it was skipped
   * @param skipped why it was not checked on this data; null when it was
   * @param evidence what was seen, per variant
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(
      String expectation, String location, Boolean passed, String skipped, String evidence) {
    static Result checked(String expectation, String location, boolean passed, String evidence) {
      return new Result(expectation, location, passed, null, evidence);
    }

    /** Checked and missed (a skipped expectation is neither passed nor failed). */
    public boolean failed() {
      return Boolean.FALSE.equals(passed);
    }
  }

  private interface Probe {
    /** Null when the subject passes, else what was seen instead. */
    String failure(Subject s);

    /** What was seen when it passes. */
    String seen(Subject s);
  }

  private final String text;
  private final String location;
  private final Probe probe;
  private final Condition condition;

  private ExpectationCheck(String text, String location, Probe probe, Condition condition) {
    this.text = text;
    this.location = location;
    this.probe = probe;
    this.condition = condition;
  }

  /**
   * Interprets an expectation.
   *
   * @param location {@code file:line}, for the error message
   * @throws UserError when the text is none of the known forms
   */
  public static ExpectationCheck parse(String text, String location) {
    String t = text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    Matcher m = WHEN.matcher(t);
    if (!m.matches()) {
      return new ExpectationCheck(text, location, probe(t, text, location), null);
    }
    long rows = Long.parseLong(m.group(4).replace("_", "").replace(",", ""));
    Condition condition =
        new Condition(unquote(m.group(2)), m.group(3).equals(">") ? rows + 1 : rows);
    return new ExpectationCheck(text, location, probe(m.group(1), text, location), condition);
  }

  /** The probe of one form ({@code t}: normalised, without its condition). */
  private static Probe probe(String t, String text, String location) {
    Matcher m;
    if ((m = USES_INDEX.matcher(t)).matches()) {
      List<String> indexes =
          Arrays.stream(m.group(1).split(" or ")).map(ExpectationCheck::unquote).toList();
      return usesIndex(indexes);
    }
    if ((m = NO_SEQ.matcher(t)).matches()) {
      String table = m.group(1) == null ? null : unquote(m.group(1));
      return noSeqScan(table);
    }
    if ((m = COUNTER.matcher(t)).matches()) {
      String what = m.group(1);
      long limit = Long.parseLong(m.group(3).replace("_", "").replace(",", ""));
      Function<PlanAnalysis, Long> value =
          switch (what) {
            case "shared buffers", "buffers" -> p -> p.facts().sharedBuffers();
            case "shared read" -> p -> p.facts().sharedRead();
            case "shared hit" -> p -> p.facts().sharedHit();
            case "temp blocks" -> p -> p.facts().tempRead() + p.facts().tempWritten();
            default -> p -> p.facts().rows();
          };
      return compare(what, m.group(2), limit, value);
    }
    if ((m = TIME.matcher(t)).matches()) {
      double factor =
          switch (m.group(4)) {
            case "us", "µs" -> 0.001;
            case "s" -> 1000;
            default -> 1;
          };
      double limitMs = Double.parseDouble(m.group(3)) * factor;
      boolean execution = m.group(1).equals("execution");
      return compareTime(m.group(1), m.group(2), limitMs, execution);
    }
    if ((m = NO_RULE.matcher(t)).matches() && PlanRules.ALL.contains(m.group(1))) {
      String rule = m.group(1);
      return noRule(rule);
    }
    throw new UserError(
        location + ": cannot check the expectation '" + text + "' (known forms: " + FORMS + ")");
  }

  /** The table whose size decides whether this expectation applies; null when it always does. */
  public String conditionTable() {
    return condition == null ? null : condition.table();
  }

  /**
   * Checks every subject; passes only when all pass.
   *
   * @param tableRows the planner's row count of a table (pg_class.reltuples), null when unknown
   */
  public Result check(List<Subject> subjects, Function<String, Double> tableRows) {
    if (condition != null) {
      Double rows = tableRows.apply(condition.table());
      if (rows != null && rows < condition.minRows()) {
        return new Result(
            text,
            location,
            null,
            String.format(
                Locale.ROOT,
                "holds only from %,d rows in %s, which has %,.0f",
                condition.minRows(),
                condition.table(),
                rows),
            null);
      }
    }
    List<String> failures = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Subject s : subjects) {
      String failure = probe.failure(s);
      if (failure != null) {
        failures.add(s.variant() + ": " + failure);
      } else {
        seen.add(s.variant() + ": " + probe.seen(s));
      }
    }
    boolean passed = failures.isEmpty() && !subjects.isEmpty();
    String evidence =
        subjects.isEmpty() ? "no plan was captured" : String.join("; ", passed ? seen : failures);
    return Result.checked(text, location, passed, evidence);
  }

  public String text() {
    return text;
  }

  private static Probe usesIndex(List<String> indexes) {
    return new Probe() {
      @Override
      public String failure(Subject s) {
        for (PlanAnalysis p : s.all()) {
          if (p.facts().indexesUsed().stream()
              .anyMatch(u -> indexes.stream().anyMatch(u.index()::equalsIgnoreCase))) {
            return null;
          }
        }
        List<String> used =
            s.all().stream()
                .flatMap(p -> p.facts().indexesUsed().stream())
                .map(PlanFacts.IndexUse::index)
                .distinct()
                .toList();
        String scans = seqScans(s, null);
        return "does not use "
            + String.join(" or ", indexes)
            + " (indexes used: "
            + (used.isEmpty() ? "none" : String.join(", ", used))
            + (scans.isEmpty() ? "" : "; " + scans)
            + "); plan: "
            + s.plan().shape();
      }

      @Override
      public String seen(Subject s) {
        return "uses " + String.join(" or ", indexes);
      }
    };
  }

  private static Probe noSeqScan(String table) {
    return new Probe() {
      @Override
      public String failure(Subject s) {
        String scans = seqScans(s, table);
        return scans.isEmpty() ? null : scans + "; plan: " + s.plan().shape();
      }

      @Override
      public String seen(Subject s) {
        return "no seq scan" + (table == null ? "" : " on " + table);
      }
    };
  }

  private static String seqScans(Subject s, String table) {
    List<String> out = new ArrayList<>();
    for (PlanAnalysis p : s.all()) {
      for (PlanFacts.SeqScan scan : p.facts().seqScans()) {
        if (table == null || scan.relation().equalsIgnoreCase(table)) {
          out.add(
              String.format(
                  "seq scan on %s read %,d rows%s",
                  scan.relation(),
                  scan.rowsRead(),
                  p.queryText() == null ? "" : " (inside the function)"));
        }
      }
    }
    return String.join(", ", out);
  }

  private static Probe compare(
      String what, String op, long limit, Function<PlanAnalysis, Long> value) {
    return new Probe() {
      @Override
      public String failure(Subject s) {
        long v = value.apply(s.plan());
        return holds(v, op, limit) ? null : what + " " + v + ", not " + op + " " + limit;
      }

      @Override
      public String seen(Subject s) {
        return what + " " + value.apply(s.plan());
      }
    };
  }

  private static Probe compareTime(String what, String op, double limitMs, boolean execution) {
    return new Probe() {
      @Override
      public String failure(Subject s) {
        Double v = execution ? s.plan().facts().executionMs() : s.plan().facts().planningMs();
        if (v == null) {
          return what + " time not reported";
        }
        return holds(v, op, limitMs)
            ? null
            : String.format(Locale.ROOT, "%s %.3f ms, not %s %s ms", what, v, op, trim(limitMs));
      }

      @Override
      public String seen(Subject s) {
        Double v = execution ? s.plan().facts().executionMs() : s.plan().facts().planningMs();
        return String.format(Locale.ROOT, "%s %.3f ms", what, v);
      }
    };
  }

  private static Probe noRule(String rule) {
    return new Probe() {
      @Override
      public String failure(Subject s) {
        List<String> hits = new ArrayList<>();
        for (PlanAnalysis p : s.all()) {
          p.warnings().stream()
              .filter(w -> w.rule().equals(rule))
              .forEach(w -> hits.add(w.node() + ": " + w.message()));
        }
        return hits.isEmpty() ? null : String.join("; ", hits);
      }

      @Override
      public String seen(Subject s) {
        return rule + " did not fire";
      }
    };
  }

  private static boolean holds(double v, String op, double limit) {
    return switch (op) {
      case "<" -> v < limit;
      case "<=" -> v <= limit;
      case ">" -> v > limit;
      case ">=" -> v >= limit;
      default -> v == limit;
    };
  }

  private static String unquote(String s) {
    return s.replace("\"", "").replaceAll("[.;,]$", "");
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
