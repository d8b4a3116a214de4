package dev.critpath.http.auth;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.http.scenario.AuthMode;
import dev.critpath.supabase.TokenMinter;

/**
 * Where a run's Authorization headers come from: user tokens (minted or pooled), the anon key and
 * the service-role key. Local runs mint all of them with the server's secret; runs against a real
 * project take the keys from SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY and users from the JWT
 * secret or a pool.
 */
public final class Credentials {
  private final TokenMinter minter;
  private final JwtPool pool;
  private final String anonKey;
  private final String serviceKey;

  public Credentials(TokenMinter minter, JwtPool pool, String anonKey, String serviceKey) {
    this.minter = minter;
    this.pool = pool;
    this.anonKey = anonKey;
    this.serviceKey = serviceKey;
    Secrets.register(anonKey);
    Secrets.register(serviceKey);
  }

  /** The apikey header Supabase's gateway expects beside the bearer token (null: none known). */
  public String anonKey() {
    return anonKey;
  }

  /** The bearer token for a request, or null for none. */
  public String bearer(AuthMode mode, String user) {
    switch (mode) {
      case NONE:
        return null;
      case ANON:
        if (anonKey == null) {
          throw new UserError(
              "a request uses auth: anon but no anon key is known: set SUPABASE_ANON_KEY");
        }
        return anonKey;
      case SERVICE:
        if (serviceKey == null) {
          throw new UserError(
              "a request uses auth: service but no service-role key is known: set SUPABASE_SERVICE_ROLE_KEY");
        }
        return serviceKey;
      default:
        return userToken(user);
    }
  }

  private String userToken(String user) {
    if (pool != null) {
      return user == null ? pool.any() : pool.forUser(user);
    }
    if (minter == null) {
      throw new UserError(
          "requests act as users but there is no way to get their tokens: set SUPABASE_JWT_SECRET"
              + " to mint them, or pass --jwt-pool FILE");
    }
    if (user == null) {
      throw new UserError(
          "a request uses auth: user without user: and no JWT pool is given: add user:"
              + " ${data.user_id} to the request, or pass --jwt-pool FILE");
    }
    return minter.forUser(user);
  }
}
