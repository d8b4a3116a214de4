package dev.critpath.realtime;

import dev.critpath.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 tokens shaped like Supabase's: the anon key ({@code role: anon}) and user access tokens
 * ({@code sub}, {@code role: authenticated}, {@code aud: authenticated}), signed with the project's
 * JWT secret. Every token matches {@link Secrets}' JWT pattern, so none is ever printed.
 */
final class Jwt {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] secret;
  private final Duration lifetime;

  Jwt(String secret, Duration lifetime) {
    Secrets.register(secret);
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.lifetime = lifetime;
  }

  /** A random secret for a local run (64 hex characters, like a Supabase project's). */
  static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    Secrets.register(secret);
    return secret;
  }

  String anonKey() {
    return sign("{\"iss\":\"critpath\",\"role\":\"anon\"" + times() + "}");
  }

  String user(UUID sub) {
    return sign(
        "{\"iss\":\"critpath\",\"sub\":\""
            + sub
            + "\",\"role\":\"authenticated\",\"aud\":\"authenticated\""
            + times()
            + "}");
  }

  private String times() {
    long now = Instant.now().getEpochSecond();
    return ",\"iat\":" + now + ",\"exp\":" + (now + lifetime.toSeconds());
  }

  private String sign(String claimsJson) {
    String body = HEADER + "." + B64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return body + "." + B64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
