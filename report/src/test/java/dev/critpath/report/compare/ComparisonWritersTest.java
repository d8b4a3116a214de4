package dev.critpath.report.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.testing.HeadlessChromium;
import dev.critpath.report.testing.SyntheticRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's Markdown against a golden file, its JSON's shape, its HTML in Chromium. */
class ComparisonWritersTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/compare.md");
  @TempDir static Path dir;
  static Comparison comparison;

  /** A dropped index, a new and a removed query, a steady one: seeded, so always the same. */
  @BeforeAll
  static void compareTwoRuns() throws Exception {
    SyntheticRun base = SyntheticRun.named("20261122-120000-aaaa");
    base.query("message_fetch").median(0.6).counters(53, 50).plan("plan_index.json");
    base.query("unread_count").median(0.4).counters(3, 1);
    base.query("old_query").median(1);
    SyntheticRun cur =
        SyntheticRun.named("20261122-130000-bbbb")
            .withoutIndex("public.messages_conversation_created_idx");
    cur.query("message_fetch").median(27).counters(2090, 50).plan("plan_seqscan.json");
    cur.query("unread_count").median(0.41).counters(3, 1);
    cur.query("new_query").median(1);
    Random random = new Random(99);
    Path b = base.write(dir.resolve("base"), random);
    Path c = cur.write(dir.resolve("cur"), random);
    comparison =
        new RunComparator(CompareOptions.defaults()).compare(RunReader.read(b), RunReader.read(c));
  }

  @Test
  void markdownMatchesGoldenFile() throws Exception {
    String md = ComparisonWriters.create(ComparisonFormat.MARKDOWN).render(comparison);
    if (Boolean.getBoolean("critpath.golden.update")) {
      Files.writeString(GOLDEN, md, StandardCharsets.UTF_8);
    }
    assertThat(md).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void jsonCarriesVerdictCountsAndEverySeriesWithItsReplicates() throws Exception {
    JsonNode json =
        Json.mapper().readTree(ComparisonWriters.create(ComparisonFormat.JSON).render(comparison));
    assertThat(json.get("verdict").asText()).isEqualTo("regression");
    assertThat(json.at("/counts/regressed").asInt()).isEqualTo(1);
    assertThat(json.at("/counts/new").asInt()).isEqualTo(1);
    assertThat(json.at("/counts/removed").asInt()).isEqualTo(1);
    assertThat(json.at("/queries/0/series/0/baseline").size()).isEqualTo(10);
    assertThat(json.at("/queries/0/series/0/adjustedP").asDouble()).isLessThan(0.01);
  }

  @Test
  void htmlLoadsCleanInChromium() throws Exception {
    Path binary = HeadlessChromium.binary();
    assumeTrue(
        binary != null,
        "Chromium not found (/usr/bin/chromium): compare.html browser test skipped; install it"
            + " with apt-get install -y chromium chromium-driver");
    Path html = dir.resolve("compare.html");
    Files.writeString(html, ComparisonWriters.create(ComparisonFormat.HTML).render(comparison));
    try (HeadlessChromium browser = new HeadlessChromium(binary)) {
      browser.load(html);
      assertThat(browser.errors()).isEmpty();
      assertThat(browser.eval("document.querySelectorAll('tr[data-query]').length").asInt())
          .isEqualTo(comparison.queries().size());
      assertThat(browser.eval("window.critpathCharts.length").asInt()).isEqualTo(2);
      assertThat(browser.eval("document.getElementById('verdict').textContent").asText())
          .isEqualTo("1 regression");
    }
  }
}
