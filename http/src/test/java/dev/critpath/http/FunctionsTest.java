package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample Edge Functions on the local server: gateway auth, RLS, rate limit, cache, cold start.
 */
class FunctionsTest {
  private static LocalFunctions fx;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    fx = new LocalFunctions("functions", Duration.ofMillis(1500));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static HttpResponse<String> call(String function, String token, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.url(function))).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b =
        json == null
            ? b.GET()
            : b.POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode body(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  @Test
  void theGatewayRejectsMissingInvalidAndExpiredTokens() throws Exception {
    HttpResponse<String> missing = call("conversation-list", null, null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(body(missing).path("message").asText()).isEqualTo("Missing authorization header");

    String valid = fx.minter.forUser(LocalFunctions.user(1));
    HttpResponse<String> forged =
        call("conversation-list", valid.substring(0, valid.length() - 3) + "abc", null);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(body(forged).path("message").asText()).isEqualTo("Invalid JWT");

    HttpResponse<String> otherSecret =
        call(
            "conversation-list",
            new dev.critpath.supabase.TokenMinter(
                    "another-secret-another-secret-another-secret",
                    "authenticated",
                    "authenticated",
                    Duration.ofHours(1))
                .forUser(LocalFunctions.user(1)),
            null);
    assertThat(otherSecret.statusCode()).isEqualTo(401);

    HttpResponse<String> expired =
        call("conversation-list", fx.minter.expired(LocalFunctions.user(1)), null);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(body(expired).path("message").asText()).isEqualTo("JWT expired");

    assertThat(call("conversation-list", valid, null).statusCode()).isEqualTo(200);
    assertThat(call("no-such-function", valid, null).statusCode()).isEqualTo(404);
  }

  @Test
  void rowLevelSecurityDecidesWhatACallerSees() throws Exception {
    JsonNode mine =
        body(call("conversation-list", fx.minter.forUser(LocalFunctions.user(7)), null));
    List<String> ids = new ArrayList<>();
    mine.path("conversations").forEach(c -> ids.add(c.path("id").asText()));
    assertThat(ids)
        .containsExactlyInAnyOrder(LocalFunctions.conversation(9), LocalFunctions.conversation(10));

    String user1 = fx.minter.forUser(LocalFunctions.user(1));
    HttpResponse<String> sent =
        call(
            "send-message",
            user1,
            "{\"conversation_id\":\""
                + LocalFunctions.conversation(1)
                + "\",\"content\":\"critpath load test hi\"}");
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(body(sent).path("message_id").asText()).hasSize(36);
    HttpResponse<String> foreign =
        call(
            "send-message",
            user1,
            "{\"conversation_id\":\"" + LocalFunctions.conversation(9) + "\",\"content\":\"hi\"}");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(call("send-message", user1, "{\"content\":\"no conversation\"}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void redeemingIsRateLimitedPerCallerWith429AndRetryAfter() throws Exception {
    String token = fx.minter.forUser(LocalFunctions.user(3));
    String station = LocalFunctions.station(1);
    HttpResponse<String> first =
        call(
            "redeem-voucher", token, "{\"code\":\"CP-000300\",\"station_id\":\"" + station + "\"}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(body(first).path("status").asText()).isEqualTo("redeemed");
    HttpResponse<String> limited = null;
    for (int i = 0; i < 60 && limited == null; i++) {
      HttpResponse<String> r =
          call(
              "redeem-voucher",
              token,
              "{\"code\":\"NOPE-" + i + "\",\"station_id\":\"" + station + "\"}");
      assertThat(r.statusCode()).isIn(404, 429);
      if (r.statusCode() == 429) {
        limited = r;
      }
    }
    assertThat(limited).as("a 429 within 60 rapid calls").isNotNull();
    assertThat(Integer.parseInt(limited.headers().firstValue("retry-after").orElseThrow()))
        .isPositive();
    // the limit is per caller: another user still gets through
    HttpResponse<String> other =
        call(
            "redeem-voucher",
            fx.minter.forUser(LocalFunctions.user(4)),
            "{\"code\":\"CP-000300\",\"station_id\":\"" + station + "\"}");
    assertThat(body(other).path("status").asText()).isEqualTo("already_redeemed");
  }

  @Test
  void theEnrichmentFunctionReportsCacheMissThenHit() throws Exception {
    String token = fx.minter.forUser(LocalFunctions.user(2));
    String payload =
        "{\"conversation_ids\":[\""
            + LocalFunctions.conversation(2)
            + "\",\""
            + LocalFunctions.conversation(9)
            + "\"]}";
    JsonNode first = body(call("conversation-insights", token, payload));
    JsonNode second = body(call("conversation-insights", token, payload));
    assertThat(first.path("items").get(0).path("insights").path("messages").asInt()).isPositive();
    assertThat(first.path("items").get(1).path("error").asText()).isEqualTo("not_found");
    assertThat(second.path("cache_performance").path("hits").asInt()).isEqualTo(1);
    assertThat(second.path("cache_performance").path("misses").asInt()).isZero();
  }

  @Test
  void uploadsHashWhatTheyReceive() throws Exception {
    byte[] bytes = new byte[2 * 1024 * 1024];
    new Random(7).nextBytes(bytes);
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(fx.url("upload") + "?conversation_id=" + LocalFunctions.conversation(1)))
            .header("Authorization", "Bearer " + fx.minter.forUser(LocalFunctions.user(1)))
            .header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    JsonNode r = body(CLIENT.send(req, HttpResponse.BodyHandlers.ofString()));
    assertThat(r.path("size").asLong()).isEqualTo(bytes.length);
    assertThat(r.path("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  @Test
  void aFunctionLoadsOnItsFirstCallAndAgainAfterIdling() throws Exception {
    String token = fx.minter.forUser(LocalFunctions.user(5));
    String payload = "{\"conversation_ids\":[\"" + LocalFunctions.conversation(5) + "\"]}";
    // wait until any earlier test's worker was unloaded
    Thread.sleep(2500);
    HttpResponse<String> cold = call("conversation-insights", token, payload);
    HttpResponse<String> warm = call("conversation-insights", token, payload);
    assertThat(cold.headers().firstValue("x-critpath-cold-start")).contains("true");
    assertThat(cold.headers().firstValue("server-timing").orElse("")).contains("boot;dur=");
    assertThat(warm.headers().firstValue("x-critpath-cold-start")).isEmpty();
    Thread.sleep(2500);
    HttpResponse<String> again = call("conversation-insights", token, payload);
    assertThat(again.headers().firstValue("x-critpath-cold-start")).contains("true");
    // the cache lived in the unloaded isolate: a miss again
    assertThat(body(again).path("cache_performance").path("misses").asInt()).isEqualTo(1);
  }
}
