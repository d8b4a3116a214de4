package dev.critpath.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.report.model.RunReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failed checks as GitHub Actions workflow commands, on a real bench run. */
class GithubAnnotationsTest {
  private static final Path RUNS = Path.of("src/test/resources/runs");

  @Test
  void aMissedTargetIsAnErrorOnItsCatalogLine() {
    List<String> errors = GithubAnnotations.of(RunReader.read(RUNS.resolve("real-bench")));

    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(
                        "::error file=queries/message_fetch.sql,line=12,"
                            + "title=critpath message_fetch%3A threshold failed::p95 < 50ms: ")
                    .contains("observed 50.5 ms, misses p95 < 50ms"));
    assertThat(errors).allMatch(e -> e.startsWith("::error ") && !e.contains("\n"));
    assertThat(errors).noneMatch(e -> e.contains("title=critpath channel_analytics"));
  }

  @Test
  void commandsEscapeWhatTheRunnerWouldReadAsSyntax() {
    assertThat(GithubAnnotations.error("queries/a,b.sql:3", "t: x", "50% of rows\nthrown away"))
        .isEqualTo(
            "::error file=queries/a%2Cb.sql,line=3,title=t%3A x::50%25 of rows%0Athrown away");
    assertThat(GithubAnnotations.error(null, "http edge", "p(95)<300"))
        .isEqualTo("::error title=http edge::p(95)<300");
  }
}
