package dev.critpath.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** explain binds like bench (the bench module's ParamTypesTest runs the same query there). */
class ParamTypesExplainTest {
  @Test
  void anIntSamplerForAnIntegerParameterIsExplained() throws SQLException {
    try (Database db = TestDatabases.empty("explain_param_types")) {
      ExplainResult r =
          ExplainRunner.run(
              db,
              QueryCatalog.of(
                  List.of(
                      QueryCatalog.parse(
                          "recent_window.sql",
                          String.join(
                              "\n",
                              "-- name: recent_window",
                              "-- param: days = int(1, 30)",
                              "SELECT now() - make_interval(days => :days)")))),
              new ExplainRunner.Options(
                  List.of(), Duration.ofSeconds(30), ExplainRunner.DEFAULT_SEED, false, false),
              null,
              new PrintWriter(new StringWriter()));
      QueryExplain q = r.query("recent_window");
      assertThat(q.error()).isNull();
      assertThat(q.plans().get(0).raw()).contains("Execution Time");
    }
  }
}
