package dev.critpath.report.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Markdown and JUnit output compared byte for byte with checked-in files. After an intended change,
 * regenerate them with {@code -Dcritpath.golden.update=true} and review the diff.
 *
 * <p>real-bench-connection-errors is the real-bench run with connection errors added to
 * message_fetch's rls_on variant as the bench stage writes them (a crash-restart during its
 * 2-thread throughput measurement, the first reason as a real one read).
 *
 * <p>real-in-database is the real-bench run with the inDatabase section of a real default-suite run
 * (critpath.run_performance_tests(30) on the small dataset) for the queries both measured, plus
 * voucher_issue_5000 (no JMH numbers in real-bench) and a query that cannot run, with the error
 * InDatabaseRunnerTest's missing table produces.
 *
 * <p>real-writes is a real bench run (quick profile shortened to 2 x 300 ms iterations, levels 2
 * and 8, small dataset) of message_fetch and send_message, which is measured committed and rolled
 * back: the two measurements' names and the percentiles at every thread count.
 */
class GoldenFilesTest {
  static final Path RUNS = Path.of("src/test/resources/runs");
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  @ParameterizedTest
  @CsvSource({
    "full, MARKDOWN, full.md",
    "full, JUNIT, full.junit.xml",
    "incomplete, MARKDOWN, incomplete.md",
    "incomplete, JUNIT, incomplete.junit.xml",
    "real-realtime, MARKDOWN, real-realtime.md",
    "real-realtime, JUNIT, real-realtime.junit.xml",
    "real-rls, MARKDOWN, real-rls.md",
    "real-rls, JUNIT, real-rls.junit.xml",
    "real-bench-connection-errors, MARKDOWN, real-bench-connection-errors.md",
    "real-bench-connection-errors, JUNIT, real-bench-connection-errors.junit.xml",
    "real-in-database, MARKDOWN, real-in-database.md",
    "real-writes, MARKDOWN, real-writes.md",
    "real-writes, JUNIT, real-writes.junit.xml"
  })
  void outputMatchesGoldenFile(String run, ReportFormat format, String golden) throws Exception {
    RunView view = RunReader.read(RUNS.resolve(run));
    String rendered = ReportWriters.create(format).render(view);
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("critpath.golden.update")) {
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
    }
    assertThat(rendered).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    // deterministic: a second rendering is identical
    assertThat(ReportWriters.create(format).render(RunReader.read(RUNS.resolve(run))))
        .isEqualTo(rendered);
  }
}
