package dev.critpath.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Catch-up the way supabase-js does it against a project: one PostgREST GET. */
final class RestCatchUp implements CatchUp {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final String restUrl;
  private final String apiKey;

  RestCatchUp(HttpClient client, String restUrl, String apiKey) {
    this.client = client;
    this.restUrl = restUrl;
    this.apiKey = apiKey;
  }

  @Override
  public List<String> since(UUID user, String token, UUID conversation, OffsetDateTime since)
      throws IOException, InterruptedException {
    String query =
        "select=id&conversation_id=eq."
            + conversation
            + (since == null
                ? ""
                : "&created_at=gte." + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8))
            + "&order=created_at.asc,id.asc";
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(restUrl + "/messages?" + query))
            .timeout(TIMEOUT)
            .header("apikey", apiKey)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .build();
    HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("PostgREST answered " + r.statusCode() + " to the catch-up request");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode row : Json.mapper().readTree(r.body())) {
      ids.add(row.path("id").asText());
    }
    return ids;
  }

  @Override
  public void close() {
    // the HttpClient belongs to the scenario
  }
}
