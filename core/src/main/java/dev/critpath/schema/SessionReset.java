package dev.critpath.schema;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Undoes, inside each migration's own transaction, the session settings Flyway makes for it: the
 * search_path (the history schema first) and the role. Flyway sets both with session scope and
 * restores them when its connection closes, which through a transaction pooler happens on whichever
 * backend is free: the backend that ran the migrations would keep {@code search_path=critpath, ...}
 * for the application's next transaction. Reset in the transaction, the settings end with its
 * commit on the backend that made them.
 */
final class SessionReset extends BaseCallback {
  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.AFTER_EACH_MIGRATE;
  }

  @Override
  public void handle(Event event, Context context) {
    try (Statement st = context.getConnection().createStatement()) {
      st.execute("RESET search_path");
      st.execute("RESET ROLE");
    } catch (SQLException e) {
      throw new FlywayException("cannot reset the session after a migration: " + e.getMessage(), e);
    }
  }
}
