package dev.critpath.http.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.sampler.PoolGauge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The local functions' database pools (postgres.js, DB_POOL_MAX connections per function): the
 * gateway's {@code /_critpath/pool-waiting} answers the most requests that waited for a connection
 * since it was last asked, summed over the loaded functions.
 */
public final class FunctionsPoolGauge implements PoolGauge {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final int OK = 200;

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with the gateway
          .connectTimeout(TIMEOUT)
          .build();
  private final HttpRequest request;

  public FunctionsPoolGauge(String baseUrl) {
    this.request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/_critpath/pool-waiting"))
            .timeout(TIMEOUT)
            .build();
  }

  /** The most that waited since the previous call; -1 when the gateway did not say. */
  @Override
  public int waiting() {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != OK) {
        return -1;
      }
      JsonNode body = Json.mapper().readTree(r.body());
      return body.path("waiting").asInt(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
