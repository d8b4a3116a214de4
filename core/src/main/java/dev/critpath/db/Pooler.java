package dev.critpath.db;

import dev.critpath.UserError;
import dev.critpath.run.NotCaptured;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * What sits between critpath and PostgreSQL, as observed (or as the user said with {@code
 * --pooler}), and what that costs: a transaction-mode pooler (PgBouncer {@code
 * pool_mode=transaction}, Supabase's pooler on port 6543) hands each transaction to whichever
 * backend is free, so nothing session-level survives from one transaction to the next.
 *
 * @param mode direct, session or transaction
 * @param detectedBy how the mode was found out: the observation, or "--pooler" when the user chose
 * @param serverPreparedStatements whether named server-side prepared statements are used (off in
 *     transaction mode unless the pooler keeps them per client, as PgBouncer 1.21+ does)
 * @param preparedStatementsBy why they are on or off
 */
public record Pooler(
    Mode mode, String detectedBy, boolean serverPreparedStatements, String preparedStatementsBy) {

  /** How connections reach their backend. */
  public enum Mode {
    /** Straight to PostgreSQL: one backend per connection. */
    DIRECT,
    /** A pooler that gives each client connection one backend until it disconnects. */
    SESSION,
    /** A pooler that gives each transaction whichever backend is free. */
    TRANSACTION;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String OPTION_VALUES = "auto, direct, session or transaction";

  /** Parses {@code --pooler}: null for auto (detect), else the mode the user named. */
  public static Mode parseChoice(String value) {
    if (value == null || value.equalsIgnoreCase("auto")) {
      return null;
    }
    for (Mode m : Mode.values()) {
      if (m.label().equalsIgnoreCase(value)) {
        return m;
      }
    }
    throw new UserError("unknown --pooler value '" + value + "': use " + OPTION_VALUES);
  }

  public boolean pooled() {
    return mode != Mode.DIRECT;
  }

  /** The fix for anything a transaction pooler rules out. */
  public static final String SESSION_FIX =
      "connect through the session pooler (port 5432 on Supabase, pool_mode=session in PgBouncer)"
          + " or directly to PostgreSQL";

  /**
   * What the mode keeps critpath from capturing, for run.json and the reports; empty for a direct
   * connection or a session pooler, which behaves like one.
   */
  public List<NotCaptured> gaps() {
    if (mode != Mode.TRANSACTION) {
      return List.of();
    }
    String why = "the pooler runs in transaction mode (" + detectedBy + ")";
    return List.of(
        new NotCaptured(
            "all",
            "critpath's statement_timeout (a session setting: explain and what-if set it per"
                + " transaction, everything else runs under the server's own statement_timeout;"
                + " role and JWT claims are per transaction anyway)",
            why,
            SESSION_FIX),
        new NotCaptured(
            "realtime",
            "delivery latency: LISTEN and the relay need one backend for the whole session",
            why,
            SESSION_FIX));
  }

  /** One line for the console and the reports. */
  public String describe() {
    return mode.label()
        + " ("
        + detectedBy
        + "); server-side prepared statements "
        + (serverPreparedStatements ? "on" : "off")
        + " ("
        + preparedStatementsBy
        + ")";
  }

  /**
   * Refuses, before anything is measured, a feature that cannot work through this pooler.
   *
   * @param feature what needs a session, e.g. "LISTEN (the realtime stage)"
   */
  public void requireSession(String feature) {
    if (mode == Mode.TRANSACTION) {
      throw new UserError(
          feature
              + " needs one backend for the whole session, and the pooler runs in transaction"
              + " mode ("
              + detectedBy
              + "): connect through the session pooler (port 5432 on Supabase, pool_mode=session"
              + " in PgBouncer) or directly to PostgreSQL");
    }
  }

  /**
   * The backend a connection's current (or last) statement ran on. Not the driver's
   * getBackendPID(): through PgBouncer that is the pooler's own cancel key, and through a
   * transaction pooler the backend changes between transactions.
   */
  public static int backendPid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
