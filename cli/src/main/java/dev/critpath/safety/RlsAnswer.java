package dev.critpath.safety;

import dev.critpath.Secrets;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParamBinding;
import dev.critpath.db.RequestContext;
import dev.critpath.db.SqlState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;

/**
 * What one identity got back from one catalog query: its rows (every column as text), a refusal
 * (insufficient privilege), or an error. Each run is its own read-only transaction, rolled back.
 *
 * @param rows null when refused or broken
 * @param refusal the server's message when it refused
 * @param error the server's message when the run broke otherwise
 */
record RlsAnswer(List<List<String>> rows, String refusal, String error) {
  /** The reference queries return at most 100 rows; a leak needs only one to show. */
  static final int MAX_ROWS = 1_000;

  static final RlsAnswer NO_ROWS = new RlsAnswer(List.of(), null, null);

  /**
   * Runs {@code q} with {@code values} (parameter name to value) as {@code pgRole} with {@code sub}
   * as auth.uid(), on a connection with autocommit off.
   */
  static RlsAnswer ask(
      Connection c, CatalogQuery q, String pgRole, String sub, Map<String, Object> values)
      throws SQLException {
    c.rollback(); // a fresh transaction, whatever the connection read before
    try (Statement st = c.createStatement()) {
      st.execute("SET TRANSACTION READ ONLY");
      RequestContext.apply(c, pgRole, sub);
      // typed as bench and explain type them
      ParamBinding binding = ParamBinding.of(c, q.jdbcSql());
      try (PreparedStatement ps = c.prepareStatement(q.jdbcSql())) {
        List<String> placeholders = q.statement().placeholders();
        for (int i = 0; i < placeholders.size(); i++) {
          binding.bind(ps, i + 1, values.get(placeholders.get(i)));
        }
        ps.setMaxRows(MAX_ROWS);
        return new RlsAnswer(read(ps), null, null);
      }
    } catch (SQLException e) {
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      String message = firstLine(e);
      return SqlState.INSUFFICIENT_PRIVILEGE.is(e)
          ? new RlsAnswer(null, message, null)
          : new RlsAnswer(null, null, message);
    } finally {
      c.rollback();
    }
  }

  boolean answered() {
    return rows != null;
  }

  boolean refused() {
    return refusal != null;
  }

  int size() {
    return rows == null ? 0 : rows.size();
  }

  /** How many of these rows {@code other} also returned. */
  long shared(RlsAnswer other) {
    if (rows == null || other.rows == null) {
      return 0;
    }
    Set<List<String>> theirs = new HashSet<>(other.rows);
    return rows.stream().filter(theirs::contains).count();
  }

  /** The same rows as {@code other}, in any order. */
  boolean sameRows(RlsAnswer other) {
    return rows != null && other.rows != null && counts(rows).equals(counts(other.rows));
  }

  /** The refusal or error, for evidence. */
  String problem() {
    return refused() ? "refused: " + refusal : "could not run: " + error;
  }

  private static Map<List<String>, Long> counts(List<List<String>> rows) {
    return rows.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static List<List<String>> read(PreparedStatement ps) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(Arrays.asList(row)); // holds nulls, compares by content
      }
    }
    return rows;
  }

  /** The server's message without its severity prefix, first line only. */
  private static String firstLine(SQLException e) {
    String m =
        e instanceof PSQLException p && p.getServerErrorMessage() != null
            ? p.getServerErrorMessage().getMessage()
            : String.valueOf(e.getMessage());
    m = m.strip();
    int nl = m.indexOf('\n');
    return Secrets.redact(nl < 0 ? m : m.substring(0, nl));
  }
}
