package dev.critpath.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Puts a transaction into the state PostgREST gives a Supabase request: {@code SET LOCAL ROLE} and
 * the JWT claims that auth.uid() reads. Both end with the transaction, so pooled connections never
 * carry one caller's identity into the next.
 */
public final class RequestContext {
  private static final String APPLY =
      "SELECT set_config('role', ?, true), set_config('request.jwt.claims', ?, true)";

  private RequestContext() {}

  /**
   * Acts as {@code role} for the current transaction (autocommit must be off).
   *
   * @param sub the user id that auth.uid() returns, or null for none (anon)
   */
  public static void apply(Connection c, String role, String sub) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(APPLY)) {
      bind(ps, role, sub);
      ps.execute();
    }
  }

  /** The statement for callers that keep it prepared across calls; bind with {@link #bind}. */
  public static String sql() {
    return APPLY;
  }

  public static void bind(PreparedStatement ps, String role, String sub) throws SQLException {
    ps.setString(1, role);
    ps.setString(2, claims(role, sub));
  }

  static String claims(String role, String sub) {
    return sub == null
        ? "{\"role\":\"" + role + "\"}"
        : "{\"sub\":\"" + sub + "\",\"role\":\"" + role + "\",\"aud\":\"authenticated\"}";
  }
}
