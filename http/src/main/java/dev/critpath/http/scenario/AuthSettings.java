package dev.critpath.http.scenario;

import java.time.Duration;

/**
 * How user tokens are made: minted with the project's JWT secret (claims sub, role, aud, exp), or
 * read from a pool file in seed 000's formats.
 *
 * @param pool a JWT pool file (relative to the scenario file), or null to mint
 */
public record AuthSettings(String role, String audience, Duration ttl, String pool) {
  public static final AuthSettings DEFAULT =
      new AuthSettings("authenticated", "authenticated", Duration.ofHours(1), null);
}
