package dev.critpath.report.writer;

import dev.critpath.report.model.CheckGroup;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML (the Ant/Surefire dialect CI test tabs read, valid against Jenkins' junit-10.xsd): one
 * testsuite per query, HTTP scenario file, realtime scenario and read path's RLS check, one
 * testcase per threshold, expectation and RLS probe; a failure carries the evidence, an
 * inconclusive probe is skipped. A run that did not complete adds an erroring testcase, so a
 * cut-short run is never green.
 */
final class JUnitWriter implements ReportWriter {

  @Override
  public ReportFormat format() {
    return ReportFormat.JUNIT;
  }

  @Override
  public String render(RunView run) {
    List<Suite> suites = new ArrayList<>();
    if (!run.completed()) {
      Suite s = new Suite("critpath.run", List.of());
      s.incomplete = true;
      suites.add(s);
    }
    for (CheckGroup g : run.checkGroups()) {
      Suite s = new Suite(g.suite(), g.checks());
      s.seconds = CheckDurations.groupSeconds(run, g);
      g.checks().forEach(c -> s.checkSeconds.add(CheckDurations.seconds(run, g, c)));
      suites.add(s);
    }
    int tests = 0;
    int failures = 0;
    int errors = 0;
    for (Suite s : suites) {
      tests += s.tests();
      failures += s.failures();
      errors += s.errors();
    }
    // ISO 8601 with its zone (UTC), as run.json records it
    String timestamp = run.startedAt() == null ? null : run.startedAt().toString();
    String runSeconds =
        run.startedAt() == null || run.finishedAt() == null
            ? "0"
            : seconds(Duration.between(run.startedAt(), run.finishedAt()));
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<testsuites name=\"critpath ")
        .append(Xml.esc(run.runId()))
        .append("\" tests=\"")
        .append(tests)
        .append("\" failures=\"")
        .append(failures)
        .append("\" errors=\"")
        .append(errors)
        .append("\" time=\"")
        .append(runSeconds)
        .append("\">\n");
    for (Suite s : suites) {
      x.append("  <testsuite name=\"")
          .append(Xml.esc(s.name))
          .append("\" tests=\"")
          .append(s.tests())
          .append("\" failures=\"")
          .append(s.failures())
          .append("\" errors=\"")
          .append(s.errors())
          .append("\" skipped=\"")
          .append(s.count(Status.SKIP))
          .append("\" time=\"")
          .append(seconds(s.seconds))
          .append('"');
      if (timestamp != null) {
        x.append(" timestamp=\"").append(Xml.esc(timestamp)).append('"');
      }
      x.append(">\n");
      properties(x, run);
      if (s.incomplete) {
        x.append("    <testcase classname=\"critpath.run\" name=\"run completed\" time=\"0\">\n")
            .append("      <error message=\"the run did not complete: results are partial\"")
            .append(" type=\"incomplete\"/>\n")
            .append("    </testcase>\n");
      }
      for (int i = 0; i < s.checks.size(); i++) {
        testcase(x, s.name, s.checks.get(i), s.checkSeconds.get(i));
      }
      x.append("  </testsuite>\n");
    }
    x.append("</testsuites>\n");
    return x.toString();
  }

  private static void testcase(StringBuilder x, String suite, CheckResult c, double seconds) {
    x.append("    <testcase classname=\"")
        .append(Xml.esc(suite))
        .append("\" name=\"")
        .append(Xml.esc(c.kind().label() + ": " + c.name()))
        .append("\" time=\"")
        .append(seconds(seconds))
        .append('"');
    String detail = detail(c);
    if (c.status() == Status.PASS) {
      if (detail.isEmpty()) {
        x.append("/>\n");
      } else {
        x.append(">\n      <system-out>").append(Xml.esc(detail)).append("</system-out>\n");
        x.append("    </testcase>\n");
      }
      return;
    }
    x.append(">\n");
    if (c.status() == Status.FAIL) {
      String message =
          c.evidence() != null ? c.evidence() : c.actual() != null ? c.actual() : "failed";
      // a stage that could not run is an error; a threshold or expectation missed is a failure
      String element = c.kind() == CheckResult.Kind.RUN ? "error" : "failure";
      x.append("      <")
          .append(element)
          .append(" message=\"")
          .append(Xml.esc(MarkdownWriter.line(message)))
          .append("\" type=\"")
          .append(c.kind().label())
          .append("\">")
          .append(Xml.esc(detail))
          .append("</")
          .append(element)
          .append(">\n");
    } else {
      x.append("      <skipped message=\"")
          .append(
              Xml.esc(MarkdownWriter.line(c.evidence() == null ? "not evaluated" : c.evidence())))
          .append("\"/>\n");
    }
    x.append("    </testcase>\n");
  }

  /** Seconds with millisecond precision, in the unlocalised form Surefire's schema allows. */
  private static String seconds(Duration d) {
    return seconds(d.toMillis() / 1000.0);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  private static String detail(CheckResult c) {
    StringBuilder sb = new StringBuilder();
    if (c.actual() != null) {
      sb.append("actual: ").append(c.actual()).append('\n');
    }
    if (c.evidence() != null) {
      sb.append("evidence: ").append(c.evidence()).append('\n');
    }
    return sb.toString();
  }

  /** A testsuite under construction. */
  private static final class Suite {
    final String name;
    final List<CheckResult> checks;
    final List<Double> checkSeconds = new ArrayList<>();
    double seconds;
    boolean incomplete;

    Suite(String name, List<CheckResult> checks) {
      this.name = name;
      this.checks = checks;
    }

    int tests() {
      return checks.size() + (incomplete ? 1 : 0);
    }

    int count(Status status) {
      return (int) checks.stream().filter(c -> c.status() == status).count();
    }

    int failures() {
      return (int)
          checks.stream().filter(c -> c.failed() && c.kind() != CheckResult.Kind.RUN).count();
    }

    int errors() {
      return (incomplete ? 1 : 0)
          + (int)
              checks.stream().filter(c -> c.failed() && c.kind() == CheckResult.Kind.RUN).count();
    }
  }

  /**
   * The connection (pooler) and what was not captured, as suite properties: a CI test tab shows why
   * a number is missing beside the checks.
   */
  private static void properties(StringBuilder x, RunView run) {
    List<Map.Entry<String, String>> props =
        run.facts().entrySet().stream()
            .filter(
                e ->
                    e.getKey().equals(RunReader.CONNECTION_FACT)
                        || e.getKey().startsWith(RunReader.NOT_CAPTURED_FACT))
            .toList();
    if (props.isEmpty()) {
      return;
    }
    x.append("    <properties>\n");
    for (Map.Entry<String, String> e : props) {
      x.append("      <property name=\"critpath.")
          .append(Xml.esc(e.getKey()))
          .append("\" value=\"")
          .append(Xml.esc(e.getValue()))
          .append("\"/>\n");
    }
    x.append("    </properties>\n");
  }
}
