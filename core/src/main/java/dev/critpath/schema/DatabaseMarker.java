package dev.critpath.schema;

import dev.critpath.UserError;
import dev.critpath.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The production guard. critpath writes only to databases that carry its marker table ({@code
 * critpath.marker}), or to empty ones it is about to mark; everything else needs the user's
 * explicit {@code --allow-unmarked}.
 */
public final class DatabaseMarker {

  /** What critpath may assume about a database. */
  public enum State {
    /** Carries critpath.marker: critpath created it and may replace its data. */
    MARKED,
    /** No tables of anyone's in public: migrating it is safe and marks it. */
    EMPTY,
    /** Holds somebody's tables and no marker: hands off unless told otherwise. */
    UNMARKED
  }

  private DatabaseMarker() {}

  public static State read(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT to_regclass('critpath.marker') IS NOT NULL,"
                    + " EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                    + "         WHERE n.nspname = 'public' AND k.relkind IN ('r', 'p', 'v', 'm'))")) {
      rs.next();
      if (rs.getBoolean(1)) {
        return State.MARKED;
      }
      return rs.getBoolean(2) ? State.UNMARKED : State.EMPTY;
    }
  }

  /**
   * Throws unless critpath may write to the database.
   *
   * @param action what would be written, for the message ("seed", "migrate", ...)
   * @param allowUnmarked the user's explicit override
   */
  public static void requireWritable(Database db, String action, boolean allowUnmarked) {
    State state;
    try (Connection c = db.connect()) {
      state = read(c);
    } catch (SQLException e) {
      throw new UserError(
          "cannot check database " + db.spec().display() + ": " + e.getMessage(), e);
    }
    if (state == State.UNMARKED) {
      if (!allowUnmarked) {
        throw new UserError(
            "refusing to "
                + action
                + ": database "
                + db.spec().display()
                + " holds tables but no critpath marker (critpath.marker), so it may be somebody's"
                + " real data. Use a database critpath created, or pass --allow-unmarked if you are"
                + " sure");
      }
      org.slf4j.LoggerFactory.getLogger(DatabaseMarker.class)
          .warn(
              "--allow-unmarked: writing to {} although it carries no critpath marker",
              db.spec().display());
    }
  }
}
