package dev.critpath.http.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.run.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tokens from a JWT pool file in seed 000's formats: a list under {@code users} or {@code
 * valid_tokens} whose entries carry the token as {@code access_token} (v1) or {@code jwt} (v2), and
 * optionally {@code user_id}. Entries without a token, with a malformed one or an expired one are
 * skipped; a pool with none left is an error.
 */
public final class JwtPool {
  private final Path file;
  private final List<String> tokens;
  private final Map<String, String> byUser;

  private JwtPool(Path file, List<String> tokens, Map<String, String> byUser) {
    this.file = file;
    this.tokens = tokens;
    this.byUser = byUser;
  }

  public static JwtPool load(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new UserError("JWT pool " + file + " does not exist");
    } catch (IOException e) {
      throw new UserError(
          "JWT pool " + file + " is not JSON: " + Secrets.redact(firstLine(e.getMessage())));
    }
    JsonNode entries =
        root == null ? null : root.has("users") ? root.get("users") : root.get("valid_tokens");
    if (entries == null || !entries.isArray()) {
      throw new UserError(
          "JWT pool "
              + file
              + " has no users or valid_tokens list (seed 000's formats:"
              + " {\"users\": [{\"access_token\": ...}]} or {\"valid_tokens\": [{\"jwt\": ...}]})");
    }
    List<String> tokens = new ArrayList<>();
    Map<String, String> byUser = new LinkedHashMap<>();
    int missing = 0;
    int malformed = 0;
    int expired = 0;
    Instant now = Instant.now();
    for (JsonNode entry : entries) {
      String token = text(entry, "access_token");
      if (token == null) {
        token = text(entry, "jwt");
      }
      if (token == null) {
        missing++;
        continue;
      }
      Secrets.register(token);
      DecodedJWT decoded;
      try {
        decoded = JWT.decode(token);
      } catch (JWTDecodeException e) {
        malformed++;
        continue;
      }
      Instant exp = decoded.getExpiresAtAsInstant();
      if (exp != null && !exp.isAfter(now)) {
        expired++;
        continue;
      }
      tokens.add(token);
      String user = text(entry, "user_id");
      if (user == null) {
        user = decoded.getSubject();
      }
      if (user != null) {
        byUser.put(user, token);
      }
    }
    if (tokens.isEmpty()) {
      throw new UserError(
          "JWT pool "
              + file
              + " holds no usable token: "
              + entries.size()
              + " entries, "
              + missing
              + " without access_token or jwt, "
              + malformed
              + " malformed, "
              + expired
              + " expired; regenerate the pool");
    }
    return new JwtPool(file, List.copyOf(tokens), Map.copyOf(byUser));
  }

  private static String text(JsonNode entry, String field) {
    JsonNode v = entry == null ? null : entry.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /**
   * The tokens one execution segment draws at random (its striped slice, so segments act as
   * different users); tokens asked for by user stay reachable, the data rows naming the users are
   * sliced already.
   */
  public JwtPool slice(Segment segment) {
    List<String> mine = segment.slice(tokens);
    if (mine.isEmpty()) {
      throw new UserError(
          "JWT pool "
              + file
              + " holds "
              + tokens.size()
              + " token(s), none for segment "
              + segment
              + ": give it at least "
              + segment.count()
              + " tokens, or run fewer segments");
    }
    return new JwtPool(file, List.copyOf(mine), byUser);
  }

  public int size() {
    return tokens.size();
  }

  /** A random token from the pool (seed 000's getRandomUserJWT). */
  public String any() {
    return tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
  }

  /** The pool's token for {@code userId}, or an error naming the pool. */
  public String forUser(String userId) {
    String token = byUser.get(userId);
    if (token == null) {
      throw new UserError(
          "JWT pool "
              + file
              + " has no token for user "
              + userId
              + " (the scenario's user: names"
              + " users the pool must cover; or mint tokens with SUPABASE_JWT_SECRET)");
    }
    return token;
  }
}
