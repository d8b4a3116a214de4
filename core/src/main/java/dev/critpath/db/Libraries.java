package dev.critpath.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Whether a server library is loaded in this session, seen from a setting only it defines. Not
 * {@code SHOW shared_preload_libraries}: on PostgreSQL 17 only superusers and members of
 * pg_read_all_settings may read it, and managed servers grant neither.
 */
public final class Libraries {
  public static final String PG_STAT_STATEMENTS = "pg_stat_statements";
  public static final String AUTO_EXPLAIN = "auto_explain";

  private static final Map<String, String> DEFINES =
      Map.of(
          PG_STAT_STATEMENTS, "pg_stat_statements.max",
          AUTO_EXPLAIN, "auto_explain.log_min_duration");

  private Libraries() {}

  public static boolean loaded(Connection c, String library) throws SQLException {
    String setting = DEFINES.get(library);
    if (setting == null) {
      throw new IllegalArgumentException("no setting known for library " + library);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?, true) IS NOT NULL")) {
      ps.setString(1, setting);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
