package dev.critpath.supabase;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints HS256 JWTs with Supabase's claims (sub, role, aud, exp, iat, iss) using the project's JWT
 * secret, one per user, cached for the run. Every token is registered with {@link Secrets}. The one
 * place critpath signs tokens: the HTTP load's users and keys, the realtime subscribers' tokens.
 */
public final class TokenMinter {
  /** Supabase's own minimum for the JWT secret. */
  public static final int MIN_SECRET_LENGTH = 32;

  private final Algorithm algorithm;
  private final String role;
  private final String audience;
  private final Duration ttl;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  public TokenMinter(String secret, String role, String audience, Duration ttl) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new UserError(
          "the JWT secret must be at least "
              + MIN_SECRET_LENGTH
              + " characters (Supabase: Project"
              + " Settings > API > JWT secret)");
    }
    Secrets.register(secret);
    this.algorithm = Algorithm.HMAC256(secret);
    this.role = role;
    this.audience = audience;
    this.ttl = ttl;
  }

  /** A random secret for a local run (64 hex characters, like a Supabase project's). */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    Secrets.register(secret);
    return secret;
  }

  /** The token of user {@code sub} (a UUID from the dataset). */
  public String forUser(String sub) {
    return cache.computeIfAbsent(sub, s -> mint(s, role, audience, ttl));
  }

  /** A key-style token for a role without a user, like Supabase's anon and service_role keys. */
  public String forRole(String keyRole) {
    return cache.computeIfAbsent("role:" + keyRole, k -> mint(null, keyRole, null, ttl));
  }

  /** A token whose exp is already past (for testing the gateway's 401). */
  public String expired(String sub) {
    Instant past = Instant.now().minusSeconds(3600);
    String token =
        JWT.create()
            .withSubject(sub)
            .withClaim("role", role)
            .withAudience(audience)
            .withIssuedAt(past.minusSeconds(60))
            .withExpiresAt(past)
            .sign(algorithm);
    Secrets.register(token);
    return token;
  }

  private String mint(String sub, String tokenRole, String aud, Duration life) {
    Instant now = Instant.now();
    var builder =
        JWT.create()
            .withIssuer("supabase")
            .withClaim("role", tokenRole)
            .withIssuedAt(now)
            .withExpiresAt(now.plus(life));
    if (sub != null) {
      builder.withSubject(sub);
    }
    if (aud != null) {
      builder.withAudience(aud);
    }
    String token = builder.sign(algorithm);
    Secrets.register(token);
    return token;
  }
}
