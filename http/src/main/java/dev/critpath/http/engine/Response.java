package dev.critpath.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.critpath.http.metrics.ErrorKind;
import dev.critpath.io.Json;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The outcome of one request: a response, a transport error, or an interruption. */
final class Response {
  static final String COLD_START_HEADER = "x-critpath-cold-start";

  int status;
  HttpHeaders headers;
  byte[] body;
  long bodyBytes;
  ErrorKind error;
  String errorMessage;
  boolean interrupted;
  long startNanos;
  long sentNanos = -1;
  long firstByteNanos = -1;
  long endNanos;
  long connectNanos = -1;
  private JsonNode json;

  boolean isTransportError() {
    return error != null;
  }

  boolean coldStart() {
    return headers != null && "true".equalsIgnoreCase(headers.get(COLD_START_HEADER));
  }

  String header(String name) {
    return headers == null ? null : headers.get(name);
  }

  /** Service time: from the send to the last byte (from the start when it never got sent). */
  long serviceNanos() {
    return endNanos - (sentNanos >= 0 ? sentNanos : startNanos);
  }

  long waitingNanos() {
    return firstByteNanos >= 0 && sentNanos >= 0 ? firstByteNanos - sentNanos : -1;
  }

  String text() {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  /** The body as JSON; a missing node when it is not JSON. */
  JsonNode json() {
    if (json == null) {
      try {
        json =
            body == null || body.length == 0
                ? MissingNode.getInstance()
                : Json.mapper().readTree(body);
        if (json == null) {
          json = MissingNode.getInstance();
        }
      } catch (IOException e) {
        json = MissingNode.getInstance();
      }
    }
    return json;
  }

  /** The first characters of the body for messages (binary bodies as a byte count). */
  String bodyStart(int max) {
    if (body == null || body.length == 0) {
      return bodyBytes > 0 ? "<" + bodyBytes + " bytes>" : "";
    }
    int printable = 0;
    int n = Math.min(body.length, max);
    for (int i = 0; i < n; i++) {
      int b = body[i] & 0xff;
      if (b >= 0x20 || b == '\n' || b == '\r' || b == '\t') {
        printable++;
      }
    }
    if (printable < n * 0.9) {
      return "<" + bodyBytes + " bytes of binary>";
    }
    String t = new String(body, 0, n, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return body.length > max ? t + "..." : t;
  }
}
