package dev.critpath.realtime;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up over the database, standing in for the PostgREST request a Supabase client makes: the
 * user's role and claims (RLS applies), then the query, in one network round trip (the statements
 * go out together with a single Sync), on connections opened ahead through the run's client link,
 * like an HTTP client's kept-alive connection.
 */
final class JdbcCatchUp implements CatchUp {
  private static final int MAX_ROWS = 100_000;
  private static final long BORROW_TIMEOUT_SECONDS = 10;

  private final ClientLink link;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();

  JdbcCatchUp(ClientLink link, int connections) throws SQLException {
    this.link = link;
    this.idle = new ArrayBlockingQueue<>(Math.max(1, connections));
    for (int i = 0; i < Math.max(1, connections); i++) {
      Connection c = link.connect();
      all.add(c);
      idle.add(c);
    }
  }

  @Override
  public List<String> since(UUID user, String token, UUID conversation, OffsetDateTime since)
      throws SQLException, InterruptedException {
    Connection c = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (c == null) {
      throw new SQLException("no catch-up connection free within " + BORROW_TIMEOUT_SECONDS + " s");
    }
    try (Statement st = c.createStatement()) {
      boolean isResult = st.execute(sql(user, conversation, since));
      List<String> ids = new ArrayList<>();
      while (true) {
        if (isResult) {
          try (ResultSet rs = st.getResultSet()) {
            if ("id".equals(rs.getMetaData().getColumnLabel(1))) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
        } else if (st.getUpdateCount() == -1) {
          return ids;
        }
        isResult = st.getMoreResults();
      }
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // broken connection: the next borrower gets the error
      }
      throw e;
    } finally {
      idle.add(c);
    }
  }

  /**
   * Literals instead of parameters, so all four statements travel in one round trip; every value is
   * a UUID or a timestamp this class formats, never text from outside.
   */
  static String sql(UUID user, UUID conversation, OffsetDateTime since) {
    String claims =
        "{\"sub\":\"" + user + "\",\"role\":\"authenticated\",\"aud\":\"authenticated\"}";
    return "BEGIN;"
        + " SELECT set_config('role', 'authenticated', true),"
        + " set_config('request.jwt.claims', '"
        + claims
        + "', true);"
        + " SELECT id::text AS id FROM messages WHERE conversation_id = '"
        + conversation
        + "'"
        + (since == null ? "" : " AND created_at >= '" + since + "'::timestamptz")
        + " ORDER BY created_at, id LIMIT "
        + MAX_ROWS
        + ";"
        + " COMMIT";
  }

  @Override
  public void close() {
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }
}
