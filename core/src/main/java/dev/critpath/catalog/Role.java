package dev.critpath.catalog;

import java.util.Locale;

/** Who a catalog query runs as: the roles PostgREST switches to, or the connecting user. */
public enum Role {
  /** A signed-in user: RLS applies, auth.uid() is the sampled user. */
  AUTHENTICATED("authenticated"),
  /** No user: RLS applies, auth.uid() is null. */
  ANON("anon"),
  /** Supabase's service key: BYPASSRLS. */
  SERVICE_ROLE("service_role"),
  /** The connecting user, usually the tables' owner: RLS does not apply. */
  OWNER("owner");

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /** The word used in catalog headers and results. */
  public String id() {
    return id;
  }

  /**
   * The value for {@code set_config('role', ..., true)}; {@code none} returns to the session user.
   */
  public String pgRole() {
    return this == OWNER ? "none" : id;
  }

  /** True when PostgreSQL applies row-level security to this role. */
  public boolean rlsApplies() {
    return this == AUTHENTICATED || this == ANON;
  }

  static Role parse(String word) {
    for (Role r : values()) {
      if (r.id.equals(word.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    return null;
  }
}
