package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParamSampler;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * bench binds parameters as explain does (dev.critpath.catalog.ParamBinding): a query whose int()
 * sampler draws longs for an integer parameter runs, where binding the long as bigint failed.
 */
class ParamTypesTest {
  static final String MAKE_INTERVAL =
      String.join(
          "\n",
          "-- name: recent_window",
          "-- param: days = int(1, 30)",
          "SELECT now() - make_interval(days => :days)");

  @Test
  void aQueryExplainAcceptsRunsInBenchWithoutATypeError() throws SQLException {
    CatalogQuery q = QueryCatalog.parse("recent_window.sql", MAKE_INTERVAL);
    try (Database db = TestDatabases.empty("bench_param_types")) {
      ParamSampler sampler = ParameterSource.prepare(q, null, null).sampler(1);
      Blackhole bh =
          new Blackhole(
              "Today's password is swordfish. I understand instantiating Blackholes directly is"
                  + " dangerous.");
      for (Variant variant : new Variant[] {Variant.PLAIN, Variant.RLS_OFF}) {
        try (Caller caller =
            new Caller(
                db.connect(),
                new BenchPath(q.name(), q, null),
                variant,
                sampler,
                db.pooler().mode())) {
          for (int i = 0; i < 20; i++) {
            caller.call(bh);
          }
        }
      }
      assertThat(sampler.value("days")).isInstanceOf(Long.class);
    }
  }
}
