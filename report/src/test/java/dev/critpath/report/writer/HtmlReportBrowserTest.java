package dev.critpath.report.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import dev.critpath.report.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * report.html in a real headless Chromium (Debian package chromium): it loads offline with no
 * console errors, shows every query and draws its charts. Skipped, saying so, without Chromium.
 */
class HtmlReportBrowserTest {
  private static HeadlessChromium browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    Path binary = HeadlessChromium.binary();
    assumeTrue(
        binary != null,
        "Chromium not found (/usr/bin/chromium): HTML browser test skipped; install it with"
            + " apt-get install -y chromium chromium-driver");
    browser = new HeadlessChromium(binary);
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void fullReportLoadsCleanAndShowsEveryQueryChartPlanAndTable(@TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("full"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    List<String> names = new ArrayList<>();
    run.queries().forEach(q -> names.add(q.name()));
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('section.query')).map(s => s.dataset.query)")))
        .containsExactlyElementsOf(names);
    for (QueryView q : run.queries()) {
      assertThat(browser.eval("document.body.innerText.includes('" + q.name() + "')").asBoolean())
          .isTrue();
    }
    int canvases = browser.eval("document.querySelectorAll('canvas').length").asInt();
    assertThat(canvases).isGreaterThanOrEqualTo(run.queries().size() * 2);
    assertThat(browser.eval("window.critpathCharts.length").asInt()).isEqualTo(canvases);
    // Chart.js drew something: a canvas has non-transparent pixels
    assertThat(
            browser
                .eval(
                    "(() => { const c = document.querySelector('canvas');"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + " return d.some(v => v !== 0); })()")
                .asBoolean())
        .isTrue();
    assertThat(browser.eval("document.querySelector('#hot-node .label').textContent").asText())
        .isEqualTo("Index Scan using messages_conversation_created_idx on messages");
    assertThat(browser.eval("document.querySelectorAll('#index-health tbody tr').length").asInt())
        .isEqualTo(run.indexFindings().size());
    assertThat(browser.eval("document.querySelectorAll('.scenario').length").asInt())
        .isEqualTo(run.http().size());
    assertThat(browser.eval("document.getElementById('verdict').textContent").asText())
        .isEqualTo("FAIL");
  }

  /** Partial runs and copies of real bench, explain and http runs (bench trimmed to 4 paths). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "incomplete",
        "real-bench",
        "real-explain",
        "real-http",
        "real-realtime",
        "real-rls",
        "real-server"
      })
  void otherRunsLoadCleanAndShowEveryQuery(String name, @TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve(name));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    assertThat(browser.eval("document.querySelectorAll('section.query').length").asInt())
        .isEqualTo(run.queries().size());
    assertThat(browser.eval("document.querySelectorAll('.scenario').length").asInt())
        .isEqualTo(run.http().stream().mapToInt(f -> f.scenarios().size()).sum());
    assertThat(browser.eval("window.critpathCharts.length").asInt())
        .isEqualTo(browser.eval("document.querySelectorAll('canvas').length").asInt());
  }

  @Test
  void realtimeRunShowsEveryScenarioAndDrawsItsCharts(@TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-realtime"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    List<String> names = new ArrayList<>();
    run.realtime().forEach(s -> names.add(s.name()));
    assertThat(names).containsExactly("listen over 4G", "websocket over 4G");
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('.rt-scenario')).map(s => s.dataset.scenario)")))
        .containsExactlyElementsOf(names);
    assertThat(
            browser.eval("document.querySelectorAll('#realtime > table tbody tr').length").asInt())
        .isEqualTo(names.size());
    // each scenario's thresholds: 3 at the listen level, 5 with setup and reconnect for websocket
    assertThat(
            browser
                .eval("document.querySelectorAll('.rt-scenario table.checks tbody tr').length")
                .asInt())
        .isEqualTo(8);
    assertThat(texts(browser.eval("window.critpathCharts.map(c => c.canvas.id)")))
        .containsExactly("rt-delivery", "rt-timing");
    // one bar series per scenario; the 4G target (500 ms) is far above every bar, so named
    assertThat(texts(browser.eval("window.critpathCharts[0].data.datasets.map(d => d.label)")))
        .containsExactly("listen over 4G", "websocket over 4G");
    assertThat(browser.eval("document.querySelector('#realtime figcaption').textContent").asText())
        .isEqualTo(
            "delivery latency percentiles (targets far above: listen over 4G p(95)<500,"
                + " websocket over 4G p(95)<500)");
    assertThat(drawn("rt-delivery")).isTrue();
    assertThat(drawn("rt-timing")).isTrue();
  }

  /** A real http run with the server sampled: the server's stage beside the scenarios' latency. */
  @Test
  void serverUnderLoadShowsBesideTheHttpLatencyAndDrawsItsChart(@TempDir Path dir)
      throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-server"));
    assertThat(run.server()).extracting(s -> s.stage()).containsExactly("http");
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('#server .server-stage'))"
                        + ".map(s => s.dataset.stage)")))
        .containsExactly("http");
    // the server's chart follows the scenarios' latency charts
    assertThat(browser.eval("document.querySelector('#http ~ #server') !== null").asBoolean())
        .isTrue();
    assertThat(texts(browser.eval("window.critpathCharts.map(c => c.canvas.id)")))
        .contains("srv-0");
    assertThat(
            texts(
                browser.eval(
                    "window.critpathCharts.find(c => c.canvas.id === 'srv-0')"
                        + ".data.datasets.map(d => d.label)")))
        .containsExactly(
            "db_cpu (% of the host)",
            "db_connections (connections)", "db_lock_waits (sessions)", "pool_waiting (waiting)");
    assertThat(drawn("srv-0")).isTrue();
    // how the CPU was measured, and the local functions' pool queueing under that load
    assertThat(browser.eval("document.querySelector('#server').innerText").asText())
        .contains("postmaster (process")
        .containsPattern("pool_waiting\\s+max 81");
    assertThat(browser.eval("document.body.innerText.includes('db_cpu: max<70')").asBoolean())
        .isTrue();
  }

  @Test
  void inDatabaseRunnerSitsBesideTheJmhNumbers(@TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-in-database"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    assertThat(browser.eval("document.querySelectorAll('#in-database tbody tr').length").asInt())
        .isEqualTo(run.inDatabase().size());
    assertThat(
            browser
                .eval(
                    "Array.from(document.querySelector('#in-database tr[data-query=message_fetch]')"
                        + ".cells).map(c => c.textContent).join('|')")
                .asText())
        .isEqualTo(
            "message_fetch|0.171 ms|7.99 ms|18.7 ms|50.5 ms|6.31x|p95 < 50ms (seed 002, Success"
                + " Metrics: Message Fetch, query time < 50ms)|pass");
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('#in-database tbody tr.fail')).map(r => r.dataset.query)")))
        .containsExactly("broken");
  }

  @Test
  void rlsRunShowsEveryProbeAndMarksTheLeaks(@TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-rls"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    assertThat(browser.eval("document.querySelectorAll('#rls tbody tr').length").asInt())
        .isEqualTo(run.rls().paths().size() * 2);
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('#rls tbody tr.fail')).map(r => r.dataset.query)")))
        .containsExactly(
            "business_message_search",
            "channel_analytics",
            "conversation_messages",
            "message_fetch",
            "message_search",
            "message_search_ilike",
            "unread_count_naive");
    assertThat(browser.eval("document.querySelector('#rls p').textContent").asText())
        .isEqualTo("10 read paths: 3 isolated, 7 leaked, 0 inconclusive.");
    assertThat(browser.eval("document.getElementById('verdict').textContent").asText())
        .isEqualTo("FAIL");
  }

  @Test
  void connectionErrorsShowBesideTheVariantAndAsAFailedCheck(@TempDir Path dir) throws Exception {
    RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-bench-connection-errors"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportWriters.create(ReportFormat.HTML).render(run));

    browser.load(html);

    assertThat(browser.errors()).isEmpty();
    String lost =
        "2 connection errors (first: An I/O error occurred while sending to the backend."
            + " [SQLSTATE 08006] (throughput at 2 threads))";
    // only message_fetch's rls_on lost connections, and its row in the variants table says so
    assertThat(
            texts(
                browser.eval(
                    "Array.from(document.querySelectorAll('table.variants .connection-errors'))"
                        + ".map(e => e.closest('section').dataset.query + ' '"
                        + " + e.closest('tr').cells[0].innerText + ': ' + e.innerText)")))
        .containsExactly("message_fetch rls_on: " + lost);
    List<String> failedMeasurements =
        texts(
            browser.eval(
                "Array.from(document.querySelectorAll('section.query table.checks tr.fail'))"
                    + ".filter(r => r.cells[0].innerText === 'measurement')"
                    + ".map(r => r.closest('section').dataset.query + ': ' + r.cells[1].innerText"
                    + " + ' / ' + r.cells[4].innerText)"));
    assertThat(failedMeasurements).hasSize(1);
    assertThat(failedMeasurements.get(0))
        .startsWith("message_fetch: variant rls_on kept its connections / " + lost);
    // drawn red, not lost in the table: the style applies
    assertThat(
            browser
                .eval("getComputedStyle(document.querySelector('.connection-errors')).color")
                .asText())
        .isEqualTo("rgb(207, 34, 46)");
    assertThat(browser.eval("document.getElementById('verdict').textContent").asText())
        .isEqualTo("FAIL");
  }

  @Test
  void harnessSeesConsoleErrorsAndExceptions(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("broken.html");
    Files.writeString(
        html, "<!DOCTYPE html><html><body><script>console.error('boom'); nope();</script>");

    browser.load(html);

    assertThat(browser.errors()).hasSizeGreaterThanOrEqualTo(2);
  }

  /** Chart.js drew something on the canvas: some pixel is not transparent. */
  private static boolean drawn(String canvasId) throws Exception {
    return browser
        .eval(
            "(() => { const c = document.getElementById('"
                + canvasId
                + "'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " return d.some(v => v !== 0); })()")
        .asBoolean();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
