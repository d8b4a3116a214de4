package dev.critpath.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows inspect's advice: copies the inspected database (CREATE DATABASE ... TEMPLATE) and runs
 * every SQL fix of one result on the copy, in report order, one statement at a time in autocommit
 * (CREATE INDEX CONCURRENTLY needs it), as a user pasting them would. Any failing statement fails
 * the test with the finding it came from.
 */
final class FixesOnACopy {
  private FixesOnACopy() {}

  /** The statements of the fixes that are SQL (each line one statement ending in ';'). */
  static List<String> statements(InspectResult result) {
    List<String> out = new ArrayList<>();
    for (Finding f : result.findings()) {
      if (isSql(f.fix())) {
        out.addAll(f.fix().lines().toList());
      }
    }
    return out;
  }

  static boolean isSql(String fix) {
    return fix != null && !fix.isEmpty() && fix.lines().allMatch(l -> l.endsWith(";"));
  }

  /** {@link #apply(Database, InspectResult, ConnectionSpec)} on the embedded server. */
  static ConnectionSpec apply(Database source, InspectResult result) throws SQLException {
    return apply(source, result, TestDatabases.embedded().spec());
  }

  /**
   * Applies the fixes to a copy of {@code source} (no other session may be connected to it), made
   * through {@code admin} on the same server, and returns the copy's spec; drop it with {@link
   * TestDatabases#dropDatabase}.
   */
  static ConnectionSpec apply(Database source, InspectResult result, ConnectionSpec admin)
      throws SQLException {
    String name = TestDatabases.uniqueName("fixes");
    ConnectionSpec copy = TestDatabases.createDatabase(admin, name, source.spec().database());
    try (Connection c = DriverManager.getConnection(copy.jdbcUrl(), copy.credentials());
        Statement st = c.createStatement()) {
      for (Finding f : result.findings()) {
        if (!isSql(f.fix())) {
          continue;
        }
        for (String sql : f.fix().lines().toList()) {
          try {
            st.execute(sql);
          } catch (SQLException e) {
            throw new AssertionError(
                "the fix of " + f.check() + " " + f.object() + " fails: " + sql + ": " + e, e);
          }
        }
      }
    }
    return copy;
  }

  /** Whether the index exists in the database at {@code spec}. */
  static void assertIndexExists(ConnectionSpec spec, String qualified) throws SQLException {
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT to_regclass('" + qualified.replace("'", "''") + "') IS NOT NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as(qualified + " still exists after every fix").isTrue();
    }
  }
}
