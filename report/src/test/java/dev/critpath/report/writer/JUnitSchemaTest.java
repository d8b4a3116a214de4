package dev.critpath.report.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.critpath.report.model.RunReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * junit.xml as Jenkins reads it: every fixture run rendered and validated with xmllint against the
 * xunit plugin's junit-10.xsd (a copy in the test resources). CI installs xmllint (libxml2-utils);
 * without it the test is skipped and says so.
 */
class JUnitSchemaTest {
  private static final Path XSD = Path.of("src/test/resources/xsd/junit-10.xsd");

  static Stream<String> runs() throws IOException {
    try (Stream<Path> dirs = Files.list(GoldenFilesTest.RUNS)) {
      return dirs
          .filter(d -> Files.isRegularFile(d.resolve("run.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("runs")
  void junitXmlIsValidAgainstJenkinsSchema(String run, @TempDir Path tmp) throws Exception {
    assumeTrue(xmllint(), "xmllint is not installed (apt-get install libxml2-utils)");
    String xml =
        ReportWriters.create(ReportFormat.JUNIT)
            .render(RunReader.read(GoldenFilesTest.RUNS.resolve(run)));
    Path file = tmp.resolve("junit.xml");
    Files.writeString(file, xml, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder("xmllint", "--noout", "--schema", XSD.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // a timestamp a CI server can place in time: ISO 8601 with its zone
    assertThat(xml)
        .containsPattern("timestamp=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"");
  }

  private static boolean xmllint() {
    try {
      return new ProcessBuilder("xmllint", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
