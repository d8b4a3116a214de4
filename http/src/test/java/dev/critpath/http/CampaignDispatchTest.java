package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.http.waba.WabaCompliance;
import dev.critpath.http.waba.WabaStandIn;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The WhatsApp stand-in enforces and logs the channel limit; the campaign dispatcher stays within
 * it, and a stand-in that is down or a campaign without targets are clear errors that leave every
 * target pending.
 */
class CampaignDispatchTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String CAMPAIGN = "00000004-0000-4000-8000-000000000001";

  @Test
  void theStandInRefusesBeyondTheLimitWithRetryAfterAndItsLogShowsTheExcess() throws Exception {
    try (WabaStandIn waba = WabaStandIn.start(WabaStandIn.LIMIT_PER_MINUTE)) {
      int ok = 0;
      int refused = 0;
      for (int i = 0; i < 260; i++) {
        HttpResponse<String> r = post(waba.url() + "/v17.0/channel-a/messages", "{}", null);
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
              .isBetween(1L, 60L);
          refused++;
        }
      }
      post(waba.url() + "/v17.0/channel-b/messages", "{}", null);
      assertThat(ok).isEqualTo(250);
      assertThat(refused).isEqualTo(10);
      WabaCompliance c = waba.compliance();
      assertThat(c.compliant()).as("260 sends reached channel-a within 60 s").isFalse();
      assertThat(c.channels())
          .extracting(WabaCompliance.Channel::maxInWindow)
          .containsExactly(260, 1);
      assertThat(c.refused()).isEqualTo(10);
    }
  }

  @Test
  void theDispatcherStaysWithinTheChannelLimit() throws Exception {
    try (WabaStandIn waba = WabaStandIn.start(WabaStandIn.LIMIT_PER_MINUTE);
        LocalFunctions fx =
            new LocalFunctions(
                "dispatch_ok", Duration.ofSeconds(30), Map.of("WABA_API_URL", waba.url()))) {
      targets(fx, 400);
      int sent = 0;
      for (int i = 0; i < 12; i++) {
        JsonNode ack = Json.mapper().readTree(dispatch(fx, CAMPAIGN, 50).body());
        sent += ack.get("sent").asInt();
      }
      assertThat(sent).isEqualTo(WabaStandIn.LIMIT_PER_MINUTE);
      WabaCompliance c = waba.compliance();
      assertThat(c.compliant()).isTrue();
      assertThat(c.attempts()).isEqualTo(250);
      assertThat(c.refused()).isZero();
      assertThat(count(fx, "SELECT count(*) FROM campaign_targets WHERE status = 'sent'"))
          .isEqualTo(250);
    }
  }

  @Test
  void aStandInThatIsDownIsA502NamingItAndEveryTargetStaysPending() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    try (LocalFunctions fx =
        new LocalFunctions("dispatch_down", Duration.ofSeconds(30), Map.of("WABA_API_URL", url))) {
      targets(fx, 30);
      HttpResponse<String> r = dispatch(fx, CAMPAIGN, 20);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body())
          .contains("WhatsApp Business API unreachable at " + url)
          .contains("20 claimed targets put back to pending");
      assertThat(count(fx, "SELECT count(*) FROM campaign_targets WHERE status = 'pending'"))
          .isEqualTo(30);

      TestDatabases.exec(fx.db.spec(), "DELETE FROM campaign_targets");
      HttpResponse<String> empty = dispatch(fx, CAMPAIGN, 20);
      assertThat(empty.statusCode()).isEqualTo(422);
      assertThat(empty.body()).contains("campaign " + CAMPAIGN + " has no targets");

      HttpResponse<String> tooBig =
          post(
              fx.url("issue-vouchers"),
              "{\"campaign_id\":\""
                  + CAMPAIGN
                  + "\",\"count\":5001,\"amount_cents\":500,\"idempotency_key\":\"k\"}",
              fx.minter.forRole("service_role"));
      assertThat(tooBig.statusCode()).isEqualTo(400);
      assertThat(tooBig.body()).contains("count must be an integer in 1..5000");
    }
  }

  private static void targets(LocalFunctions fx, int n) {
    TestDatabases.exec(
        fx.db.spec(),
        "INSERT INTO campaign_targets (id, campaign_id, phone) SELECT gen_random_uuid(), '"
            + CAMPAIGN
            + "', '+4917' || g FROM generate_series(1, "
            + n
            + ") g");
  }

  private static HttpResponse<String> dispatch(LocalFunctions fx, String campaign, int max)
      throws Exception {
    return post(
        fx.url("campaign-dispatch"),
        "{\"campaign_id\":\"" + campaign + "\",\"max\":" + max + "}",
        fx.minter.forRole("service_role"));
  }

  private static HttpResponse<String> post(String url, String json, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(LocalFunctions fx, String sql) throws Exception {
    try (Connection c = fx.db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
