package dev.critpath.report.writer;

import dev.critpath.report.model.CheckGroup;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.FindingView;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.HttpFile;
import dev.critpath.report.model.HttpScenario;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.Status;
import dev.critpath.report.model.VariantView;
import java.util.List;
import java.util.Map;

/** GitHub-flavoured Markdown: what a reviewer reads in a PR's job summary. */
final class MarkdownWriter implements ReportWriter {

  @Override
  public ReportFormat format() {
    return ReportFormat.MARKDOWN;
  }

  @Override
  public String render(RunView run) {
    StringBuilder md = new StringBuilder();
    String verdict = run.effectiveVerdict();
    md.append("## critpath ")
        .append(Describe.verdictIcon(verdict))
        .append(' ')
        .append(Describe.verdictWord(verdict))
        .append(" — run `")
        .append(run.runId())
        .append("`\n\n");
    long failed = run.allChecks().stream().filter(CheckResult::failed).count();
    long total = run.allChecks().stream().filter(c -> c.status() != Status.SKIP).count();
    md.append(run.queries().size())
        .append(run.queries().size() == 1 ? " query, " : " queries, ")
        .append(total)
        .append(total == 1 ? " check evaluated, " : " checks evaluated, ")
        .append(failed)
        .append(" failed.\n\n");

    md.append("| | |\n|---|---|\n");
    for (Map.Entry<String, String> e : Describe.facts(run).entrySet()) {
      md.append("| ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
    }
    md.append('\n');

    if (!run.queries().isEmpty()) {
      queries(md, run);
      ConcurrencySection.markdown(md, run);
    }
    if (!run.inDatabase().isEmpty()) {
      InDatabaseSection.markdown(md, run);
    }
    failedChecks(md, run);
    allChecks(md, run);
    planWarnings(md, run.queries());
    variants(md, run.queries());
    queryNotes(md, run.queries());
    if (!run.indexFindings().isEmpty()) {
      indexHealth(md, run.indexFindings());
    }
    if (!run.http().isEmpty()) {
      http(md, run.http());
    }
    if (!run.realtime().isEmpty()) {
      RealtimeSection.markdown(md, run.realtime());
    }
    if (!run.server().isEmpty()) {
      ServerLoadSection.markdown(md, run.server());
    }
    if (run.rls() != null) {
      RlsSection.markdown(md, run.rls());
    }
    if (!run.notes().isEmpty()) {
      md.append("### Notes\n\n");
      run.notes().forEach(n -> md.append("- ").append(line(n)).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static void queries(StringBuilder md, RunView run) {
    md.append("### Queries\n\n");
    md.append(
        "| query | p50 | p95 | p99 | max | target | throughput | server mean | buffers/call | verdict |\n");
    md.append("|---|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
    for (QueryView q : run.queries()) {
      Double peak =
          q.throughput().stream().map(t -> t.opsPerSec()).max(Double::compare).orElse(null);
      String lost = Describe.connectionErrors(q);
      md.append("| `")
          .append(q.name())
          .append("` | ")
          .append(Fmt.ms(q.latency().p50()))
          .append(" | ")
          .append(bold(Fmt.ms(q.latency().p95()), thresholdFailed(q)))
          .append(" | ")
          .append(Fmt.ms(q.latency().p99()))
          .append(" | ")
          .append(Fmt.ms(q.latency().max()))
          .append(" | ")
          .append(cell(Describe.target(q)))
          .append(" | ")
          .append(Fmt.ops(peak))
          .append(" | ")
          .append(Fmt.ms(q.server().meanExecMs()))
          .append(" | ")
          .append(Fmt.num(Describe.buffersPerCall(q)))
          .append(" | ")
          .append(Describe.queryVerdict(q))
          .append(lost == null ? "" : " — " + cell(lost))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void failedChecks(StringBuilder md, RunView run) {
    StringBuilder list = new StringBuilder();
    for (CheckGroup g : run.checkGroups()) {
      for (CheckResult c : g.checks()) {
        if (c.failed()) {
          list.append(failure(g.subject(), c));
        }
      }
    }
    if (list.length() > 0) {
      md.append("### Failed\n\n").append(list).append('\n');
    }
  }

  private static String failure(String subject, CheckResult c) {
    return "- ❌ **"
        + subject
        + "** "
        + c.kind().label()
        + " `"
        + inlineCode(c.name())
        + "`"
        + (c.evidence() == null ? "" : ": " + line(c.evidence()))
        + '\n';
  }

  private static void allChecks(StringBuilder md, RunView run) {
    if (run.allChecks().isEmpty()) {
      return;
    }
    md.append("<details><summary>All checks (")
        .append(run.allChecks().size())
        .append(")</summary>\n\n");
    md.append("| subject | kind | check | result | actual | evidence |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (CheckGroup g : run.checkGroups()) {
      for (CheckResult c : g.checks()) {
        checkRow(md, g.subject(), c);
      }
    }
    md.append("\n</details>\n\n");
  }

  private static void checkRow(StringBuilder md, String subject, CheckResult c) {
    md.append("| `")
        .append(subject)
        .append("` | ")
        .append(c.kind().label())
        .append(" | ")
        .append(cell(c.name()))
        .append(" | ")
        .append(c.status().symbol())
        .append(' ')
        .append(c.status().name().toLowerCase(java.util.Locale.ROOT))
        .append(" | ")
        .append(cell(c.actual()))
        .append(" | ")
        .append(cell(c.evidence()))
        .append(" |\n");
  }

  /** Warnings at warn level and above; info-level notes are counted and left to the HTML. */
  private static void planWarnings(StringBuilder md, List<QueryView> queries) {
    StringBuilder list = new StringBuilder();
    int info = 0;
    for (QueryView q : queries) {
      for (FindingView w : q.warnings()) {
        if ("info".equals(w.severity())) {
          info++;
          continue;
        }
        list.append("- **")
            .append(q.name())
            .append("**")
            .append(w.subject() == null ? "" : " (" + line(w.subject()) + ")")
            .append(": ")
            .append(
                w.severity().equals("error") ? "**" + line(w.message()) + "**" : line(w.message()))
            .append(w.fix() == null ? "" : " Fix: " + line(w.fix()))
            .append('\n');
      }
    }
    if (info > 0) {
      list.append("- ")
          .append(info)
          .append(info == 1 ? " info-level plan note" : " info-level plan notes")
          .append(" in report.html\n");
    }
    if (list.length() > 0) {
      md.append("### Plan warnings\n\n").append(list).append('\n');
    }
  }

  private static void indexHealth(StringBuilder md, List<FindingView> findings) {
    md.append("### Index health\n\n");
    md.append("| severity | rule | subject | finding | fix |\n|---|---|---|---|---|\n");
    for (FindingView f : findings) {
      md.append("| ")
          .append(f.severity())
          .append(" | ")
          .append(cell(f.rule()))
          .append(" | ")
          .append(cell(f.subject()))
          .append(" | ")
          .append(cell(f.message()))
          .append(" | ")
          .append(cell(f.fix()))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void http(StringBuilder md, List<HttpFile> files) {
    md.append("### HTTP scenarios\n\n");
    md.append(
        "| file | scenario | executor | requests | errors | req/s | p50 | p95 | p99 | verdict |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (HttpFile f : files) {
      for (HttpScenario h : f.scenarios()) {
        md.append("| `")
            .append(f.name())
            .append("` | `")
            .append(h.name())
            .append("` | ")
            .append(cell(h.executor()))
            .append(" | ")
            .append(Fmt.count(h.requests()))
            .append(" | ")
            .append(
                h.errorRate() == null
                    ? Fmt.count(h.errors())
                    : Fmt.count(h.errors()) + " (" + Fmt.percent(h.errorRate()) + ")")
            .append(" | ")
            .append(Fmt.num(h.requestsPerSec()))
            .append(" | ")
            .append(Fmt.ms(h.latency().p50()))
            .append(" | ")
            .append(Fmt.ms(h.latency().p95()))
            .append(" | ")
            .append(Fmt.ms(h.latency().p99()))
            .append(" | ")
            .append(verdict(f.status()))
            .append(" |\n");
      }
    }
    md.append('\n');
    StringBuilder notes = new StringBuilder();
    for (HttpFile f : files) {
      f.notes()
          .forEach(
              n -> notes.append("- `").append(f.name()).append("`: ").append(line(n)).append('\n'));
    }
    if (notes.length() > 0) {
      md.append(notes).append('\n');
    }
  }

  private static void variants(StringBuilder md, List<QueryView> queries) {
    if (queries.stream().noneMatch(q -> q.variants().size() > 1)) {
      return;
    }
    md.append("<details><summary>Variants (row-level security on and off)</summary>\n\n");
    md.append("| query | variant | p50 | p95 | mean | server mean | client − server |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (QueryView q : queries) {
      for (VariantView v : q.variants()) {
        md.append("| `")
            .append(q.name())
            .append("` | ")
            .append(cell(v.name()))
            .append(" | ")
            .append(Fmt.ms(v.latency().p50()))
            .append(" | ")
            .append(Fmt.ms(v.latency().p95()))
            .append(" | ")
            .append(Fmt.ms(v.latency().mean()))
            .append(" | ")
            .append(Fmt.ms(v.server().meanExecMs()))
            .append(" | ")
            .append(Fmt.ms(v.clientMinusServerMs()))
            .append(" |\n");
      }
    }
    md.append("\n</details>\n\n");
  }

  private static void queryNotes(StringBuilder md, List<QueryView> queries) {
    StringBuilder list = new StringBuilder();
    for (QueryView q : queries) {
      q.notes()
          .forEach(
              n ->
                  list.append("- **").append(q.name()).append("**: ").append(line(n)).append('\n'));
    }
    if (list.length() > 0) {
      md.append("### Query notes\n\n").append(list).append('\n');
    }
  }

  static String verdict(Status s) {
    return s == Status.FAIL ? "❌ fail" : s == Status.PASS ? "✅ pass" : "➖";
  }

  private static boolean thresholdFailed(QueryView q) {
    return q.checks().stream().anyMatch(c -> c.failed() && c.kind() == CheckResult.Kind.THRESHOLD);
  }

  private static String bold(String text, boolean bold) {
    return bold ? "**" + text + "**" : text;
  }

  /** A table cell: one line, pipes escaped. */
  static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return Fmt.NONE;
    }
    return line(text).replace("|", "\\|");
  }

  static String line(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String inlineCode(String text) {
    return line(text).replace("`", "'");
  }
}
