package dev.critpath.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.Database;
import dev.critpath.inspect.Severity;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plan rules on plans captured from a real server in the test (and one committed fixture). */
class PlanAnalyzerTest {
  private static Database db;
  private static Connection c;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestDatabases.migrated("plans");
    c = db.connect();
    try (Statement st = c.createStatement()) {
      // five columns that always agree: the planner multiplies their selectivities
      st.execute(
          "CREATE TABLE plan_t (id int PRIMARY KEY, a int, b int, c int, d int, e int, s text)"
              + " WITH (autovacuum_enabled = false)");
      st.execute(
          "INSERT INTO plan_t SELECT g, g % 10, g % 10, g % 10, g % 10, g % 10, md5(g::text)"
              + " FROM generate_series(1, 200000) g");
      st.execute("CREATE INDEX plan_t_a_idx ON plan_t (a)");
      st.execute("ANALYZE plan_t");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    c.close();
    db.close();
  }

  @Test
  void seqScanOnALargeTableAndAWastefulFilter() throws SQLException {
    PlanAnalysis p = analyze("SELECT * FROM plan_t WHERE s = 'nope'", Map.of());
    assertThat(p.facts().seqScans()).hasSize(1);
    PlanFacts.SeqScan scan = p.facts().seqScans().get(0);
    assertThat(scan.relation()).isEqualTo("plan_t");
    assertThat(scan.rowsRead()).isEqualTo(200_000);
    assertThat(p.fired(PlanRules.SEQ_SCAN_LARGE)).isTrue();
    PlanWarning filter = warning(p, PlanRules.FILTER_90);
    assertThat(filter.severity()).isEqualTo(Severity.WARN);
    assertThat(filter.node()).isEqualTo("#1 Seq Scan on plan_t");
    assertThat(p.facts().executionMs()).isPositive();
    assertThat(p.facts().planningMs()).isNotNull();
    assertThat(p.facts().sharedBuffers()).isGreaterThan(1000);
  }

  @Test
  void misestimatesAreGradedByFactor() throws SQLException {
    // planner: 200000 * 0.1^5 = 2 rows; actual: 20000
    PlanAnalysis p =
        analyze(
            "SELECT count(*) FROM plan_t WHERE a = 1 AND b = 1 AND c = 1 AND d = 1 AND e = 1",
            Map.of());
    PlanWarning w = warning(p, PlanRules.MISESTIMATE_1000);
    assertThat(w.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(w.message()).contains("underestimated");
    assertThat((Double) w.evidence().get("factor")).isGreaterThan(1000);
  }

  @Test
  void spillsToDiskAreNamed() throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET work_mem = '64kB'");
      st.execute("SET hash_mem_multiplier = 1");
      PlanAnalysis sort = analyze("SELECT * FROM plan_t ORDER BY s", Map.of());
      assertThat(warning(sort, PlanRules.SORT_SPILL).message()).contains("kB to disk");
      assertThat(sort.facts().tempWritten()).isPositive();
      assertThat(sort.facts().settings()).containsEntry("work_mem", "64kB");
      PlanAnalysis hash =
          analyze("SELECT count(*) FROM plan_t x JOIN plan_t y ON x.s = y.s", Map.of());
      assertThat(hash.fired(PlanRules.HASH_SPILL)).as(hash.shape()).isTrue();
    } finally {
      try (Statement st = c.createStatement()) {
        st.execute("RESET work_mem");
        st.execute("RESET hash_mem_multiplier");
      }
    }
  }

  @Test
  void indexOnlyScanOnAnUnvacuumedTableFetchesFromTheHeap() throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      st.execute("SET enable_bitmapscan = off");
      PlanAnalysis p = analyze("SELECT a FROM plan_t WHERE a = 3", Map.of());
      assertThat(p.facts().indexesUsed())
          .extracting(PlanFacts.IndexUse::index, PlanFacts.IndexUse::nodeType)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("plan_t_a_idx", "Index Only Scan"));
      assertThat(warning(p, PlanRules.HEAP_FETCHES).severity()).isEqualTo(Severity.WARN);
    } finally {
      try (Statement st = c.createStatement()) {
        st.execute("RESET enable_seqscan");
        st.execute("RESET enable_bitmapscan");
      }
    }
  }

  @Test
  void fingerprintIgnoresConstantsButNotTheIndexChoice() throws SQLException {
    PlanAnalysis one = analyze("SELECT * FROM plan_t WHERE id = 1", Map.of());
    PlanAnalysis two = analyze("SELECT * FROM plan_t WHERE id = 99999", Map.of());
    assertThat(one.fingerprint()).isEqualTo(two.fingerprint()).hasSize(16);
    assertThat(one.shape()).isEqualTo("Index Scan using plan_t_pkey on plan_t");
    PlanAnalysis seq = analyze("SELECT * FROM plan_t WHERE id + 0 = 1", Map.of());
    assertThat(seq.fingerprint()).isNotEqualTo(one.fingerprint());
  }

  @Test
  void smallSeqScanIsOnlyWarnedWhenTheTableIsKnownToBeLarge() throws SQLException {
    PlanAnalysis limited = analyze("SELECT * FROM plan_t LIMIT 5", Map.of());
    assertThat(limited.fired(PlanRules.SEQ_SCAN_LARGE)).isFalse();
    assertThat(limited.fired(PlanRules.MISESTIMATE_10)).as("overestimates under a Limit").isFalse();
    PlanAnalysis known = analyze("SELECT * FROM plan_t LIMIT 5", Map.of("plan_t", 200_000.0));
    assertThat(warning(known, PlanRules.SEQ_SCAN_LARGE).message()).contains("~200,000 rows");
  }

  @Test
  void parallelPlanTimesAreWallTimesNotSumsOverWorkers() throws IOException {
    JsonNode plan;
    try (InputStream in = getClass().getResourceAsStream("/plans/parallel-aggregate-pg15.json")) {
      plan = Json.mapper().readTree(in);
    }
    PlanAnalysis p = PlanAnalyzer.analyze(plan, Map.of());
    // the seq scan ran in 3 processes for ~127 ms each, inside a 185 ms statement
    PlanWarning time =
        p.warnings().stream()
            .filter(w -> w.node().contains("Seq Scan"))
            .filter(w -> w.rule().startsWith("exclusive-time"))
            .findFirst()
            .orElseThrow();
    assertThat(time.rule()).isEqualTo(PlanRules.TIME_40);
    assertThat((Double) time.evidence().get("share")).isBetween(0.5, 0.8);
    assertThat(p.facts().seqScans().get(0).rowsRead()).isEqualTo(1_500_000);
    assertThat(p.fired(PlanRules.FILTER_90)).isTrue();
    assertThat(p.shape())
        .isEqualTo("Aggregate → Gather Merge → Sort → Aggregate → Seq Scan on big");
  }

  private static PlanWarning warning(PlanAnalysis p, String rule) {
    return p.warnings().stream()
        .filter(w -> w.rule().equals(rule))
        .findFirst()
        .orElseThrow(() -> new AssertionError(rule + " did not fire: " + p.warnings()));
  }

  private static PlanAnalysis analyze(String sql, Map<String, Double> tables) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) " + sql)) {
      rs.next();
      return PlanAnalyzer.analyze(Json.mapper().readTree(rs.getString(1)), tables);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
