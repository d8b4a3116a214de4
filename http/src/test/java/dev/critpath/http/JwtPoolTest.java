package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.http.auth.JwtPool;
import dev.critpath.supabase.TokenMinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's JWT pool formats, and tokens minted with Supabase's claims. */
class JwtPoolTest {
  private static final String SECRET = "pool-secret-pool-secret-pool-secret-0123";
  private static final TokenMinter MINTER =
      new TokenMinter(SECRET, "authenticated", "authenticated", Duration.ofHours(1));
  @TempDir Path dir;

  private Path pool(String json) throws Exception {
    Path p = dir.resolve("jwt_pool.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void mintedTokensCarrySupabaseClaims() {
    var jwt = JWT.decode(MINTER.forUser("00000000-0000-4000-8000-000000000042"));
    assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
    assertThat(jwt.getSubject()).isEqualTo("00000000-0000-4000-8000-000000000042");
    assertThat(jwt.getClaim("role").asString()).isEqualTo("authenticated");
    assertThat(jwt.getAudience()).containsExactly("authenticated");
    assertThat(jwt.getExpiresAtAsInstant()).isAfter(java.time.Instant.now().plusSeconds(3000));
    assertThat(Secrets.redact("token " + MINTER.forUser("u1") + " end")).isEqualTo("token *** end");
  }

  @Test
  void readsV1AndV2Formats() throws Exception {
    String a = MINTER.forUser("user-a");
    String b = MINTER.forUser("user-b");
    JwtPool v1 =
        JwtPool.load(
            pool(
                "{\"users\": [{\"access_token\": \""
                    + a
                    + "\", \"user_id\": \"user-a\"}, null, {}]}"));
    assertThat(v1.size()).isEqualTo(1);
    assertThat(v1.forUser("user-a")).isEqualTo(a);
    JwtPool v2 =
        JwtPool.load(
            pool("{\"valid_tokens\": [{\"jwt\": \"" + a + "\"}, {\"jwt\": \"" + b + "\"}]}"));
    assertThat(v2.size()).isEqualTo(2);
    assertThat(v2.forUser("user-b")).as("user from the token's sub").isEqualTo(b);
    assertThat(v2.any()).isIn(a, b);
    JwtPool v2users = JwtPool.load(pool("{\"users\": [{\"jwt\": \"" + b + "\"}]}"));
    assertThat(v2users.any()).isEqualTo(b);
  }

  @Test
  void aPoolWithNoUsableTokenIsAClearError() throws Exception {
    Path p =
        pool(
            "{\"users\": [{\"refresh_token\": \"x\"}, {\"access_token\": \"not-a-jwt\"}, {\"access_token\": \""
                + MINTER.expired("u")
                + "\"}]}");
    assertThatThrownBy(() -> JwtPool.load(p))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(
            "holds no usable token: 3 entries, 1 without access_token or jwt, 1 malformed, 1 expired")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("eyJ"));
    assertThatThrownBy(() -> JwtPool.load(pool("{\"tokens\": []}")))
        .hasMessageContaining("has no users or valid_tokens list");
    assertThatThrownBy(() -> JwtPool.load(pool("{not json"))).hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> JwtPool.load(dir.resolve("missing.json")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void aTokenForAUserThePoolLacksNamesTheFix() throws Exception {
    JwtPool p =
        JwtPool.load(
            pool("{\"users\": [{\"access_token\": \"" + MINTER.forUser("user-a") + "\"}]}"));
    assertThatThrownBy(() -> p.forUser("user-z"))
        .hasMessageContaining("has no token for user user-z");
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(
            () -> new TokenMinter("short", "authenticated", "authenticated", Duration.ofHours(1)))
        .hasMessageContaining("at least 32 characters");
  }
}
