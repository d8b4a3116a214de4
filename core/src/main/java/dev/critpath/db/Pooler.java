package dev.critpath.db;

import dev.critpath.UserError;
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

  /**
   * What the mode keeps critpath from doing, for run.json and the reports; null when nothing (a
   * direct connection, or a session pooler, which behaves like one).
   */
  public String gap() {
    if (mode != Mode.TRANSACTION) {
      return null;
    }
    return "transaction pooling: statement_timeout, role and JWT claims are set per transaction"
        + " (statements outside one run under the server's own statement_timeout); plans inside"
        + " functions need auto_explain preloaded (LOAD is per session); LISTEN is refused."
        + " Fix: the session pooler port (5432 on Supabase) or a direct URL";
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
}
