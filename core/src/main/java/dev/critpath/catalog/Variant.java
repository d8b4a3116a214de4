package dev.critpath.catalog;

import java.util.Locale;

/**
 * How the harness wraps one call of a query. {@link #RLS_ON} and {@link #RLS_OFF} do the same round
 * trips (a transaction, the JWT claims, the query, the end of the transaction) and differ only in
 * the role, so their difference is the cost of row-level security.
 */
public enum Variant {
  /** As the catalog role, the way PostgREST runs a request. */
  RLS_ON("rls_on"),
  /** As the connecting user (the tables' owner): same SQL and claims, RLS bypassed. */
  RLS_OFF("rls_off"),
  /** Autocommit, no role and no claims: the bare statement, as pgbench runs it. */
  PLAIN("plain");

  private final String id;

  Variant(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The variant named {@code id} (rls_on, rls_off, plain), or null. */
  public static Variant parse(String id) {
    for (Variant v : values()) {
      if (v.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    return null;
  }
}
