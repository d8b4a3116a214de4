package dev.critpath.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.report.model.RunReader;
import dev.critpath.report.writer.ReportFormat;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the default suite calls at the end of a run. */
class ReportsTest {
  private static final Path RUNS = Path.of("src/test/resources/runs");

  @Test
  void finishWritesEveryReportAndPrintsTheSummary(@TempDir Path root) throws Exception {
    RunDirectory run = RunDirectory.create(root);
    run.put(
        Section.BENCH,
        Map.of(
            "queries",
            List.of(
                Map.of(
                    "name", "message_fetch",
                    "status", "ok",
                    "reason", "retried after postgresql://app:s3cr3t@db:5432/x dropped",
                    "targets",
                        List.of(
                            new ThresholdCheck(
                                ThresholdCheck.LATENCY,
                                "p95",
                                "<",
                                50,
                                ThresholdCheck.MS,
                                "p95 < 50ms",
                                61.0,
                                false,
                                null,
                                null)),
                    "variants",
                        List.of(
                            Map.of(
                                "variant",
                                "rls_on",
                                "latency",
                                Map.of("p50", 20.0, "p95", 61.0)))))));
    run.record().finish(Instant.now(), true, "fail");
    StringWriter console = new StringWriter();

    Reports.Written written = Reports.finish(run, new PrintWriter(console));

    assertThat(written.files()).hasSize(ReportFormat.values().length);
    assertThat(run.path().resolve("report.md")).exists();
    assertThat(run.path().resolve("junit.xml")).exists();
    assertThat(written.html()).isEqualTo(run.path().resolve("report.html"));
    assertThat(console.toString())
        .contains("message_fetch", "61.0 ms", "p95 < 50ms", "FAIL", "report: " + written.html());
    for (Path f : written.files().values()) {
      assertThat(Files.readString(f)).doesNotContain("s3cr3t");
    }
  }

  @Test
  void consoleSummaryListsRealtimeScenariosAndRlsLeaks() {
    StringWriter console = new StringWriter();
    ConsoleSummary.print(
        RunReader.read(RUNS.resolve("real-realtime")), null, new PrintWriter(console));
    ConsoleSummary.print(RunReader.read(RUNS.resolve("real-rls")), null, new PrintWriter(console));

    assertThat(console.toString())
        .containsPattern("realtime websocket over 4G +97.2 ms +p\\(95\\)<500 +pass")
        .contains(
            "FAIL rls message_fetch rls 'member of another business': 50 rows where ids that match"
                + " nothing give 0 rows")
        .doesNotContain("FAIL rls business_conversations");
  }

  @Test
  void consoleSummaryNamesTheVariantThatLostConnections() {
    StringWriter console = new StringWriter();
    ConsoleSummary.print(
        RunReader.read(RUNS.resolve("real-bench-connection-errors")),
        null,
        new PrintWriter(console));

    assertThat(console.toString())
        .contains(
            "FAIL message_fetch measurement 'variant rls_on kept its connections': 2 connection"
                + " errors (first: An I/O error occurred while sending to the backend. [SQLSTATE"
                + " 08006] (throughput at 2 threads))")
        .containsOnlyOnce("connection error");
  }

  @Test
  void markdownIsAppendedToTheStepSummary(@TempDir Path dir) throws Exception {
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, "earlier step\n");
    StepSummary.append(summary, "## critpath");
    StepSummary.append(summary, "## again\n");
    assertThat(Files.readString(summary)).isEqualTo("earlier step\n## critpath\n## again\n");
  }
}
