package dev.critpath.http.scenario;

/** Who a request acts as. */
public enum AuthMode {
  /** A seeded user's JWT (minted, or taken from the pool); {@code user:} names which. */
  USER,
  /** The anon key as bearer, as supabase-js sends it for signed-out callers. */
  ANON,
  /** The service-role key. */
  SERVICE,
  /** No Authorization header at all. */
  NONE
}
