package dev.critpath.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One binding for bench and explain: the server types each parameter from the statement, whatever
 * Java type the sampler drew; only an untyped placeholder takes the value's type.
 */
class ParamBindingTest {
  private static Database db;

  @BeforeAll
  static void open() {
    db = TestDatabases.empty("param_binding");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void anIntSamplerFeedsAnIntegerParameterAsBenchAndExplainBindIt() throws SQLException {
    CatalogQuery q =
        QueryCatalog.parse(
            "t.sql",
            String.join(
                "\n",
                "-- name: t",
                "-- param: days = int(1, 30)",
                "SELECT make_interval(days => :days)"));
    ParamSampler sampler = ParameterSource.prepare(q, null, null).sampler(7);
    assertThat(sampler.value("days")).isInstanceOf(Long.class);
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(q.jdbcSql())) {
      // the Java type alone (bigint) is what bench used to send: no make_interval(bigint) exists
      ps.setObject(1, sampler.value("days"));
      assertThatThrownBy(ps::executeQuery)
          .hasMessageContaining("make_interval(days => bigint) does not exist");

      ParamBinding binding = ParamBinding.of(c, q.jdbcSql());
      assertThat(binding.types()).isEqualTo(ParamBinding.TypeSource.STATEMENT);
      sampler.bind(ps, binding);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(sampler.value("days") + " days");
      }
      // explain's EXECUTE with the same value as a literal
      try (Statement st = c.createStatement()) {
        st.execute("PREPARE t AS " + c.nativeSQL(q.jdbcSql()));
        try (ResultSet rs =
            st.executeQuery("EXECUTE t(" + ParamBinding.literal(sampler.value("days")) + ")")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(sampler.value("days") + " days");
        }
      }
    }
  }

  @Test
  void anUntypedPlaceholderTakesTheValuesType() throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      ParamBinding binding = ParamBinding.of(c, "SELECT pg_typeof(?)::text");
      assertThat(binding.types()).isEqualTo(ParamBinding.TypeSource.VALUES);
      // the refused describe ran in a savepoint: the transaction goes on
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_typeof(?)::text")) {
        binding.bind(ps, 1, 42L);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(ParamBinding.typeOf(42L));
        }
      }
      c.rollback();
    }
  }
}
