package dev.critpath.http.scenario;

import java.util.Set;

/**
 * A request body: text (a template), JSON (YAML written as the body, placeholders in its strings)
 * or binary (random bytes of a size drawn from a range, for uploads).
 */
public record BodySpec(
    Kind kind, Template text, JsonTemplate json, long minBytes, long maxBytes, String contentType) {
  public enum Kind {
    NONE,
    TEXT,
    JSON,
    BINARY
  }

  public static final BodySpec NONE = new BodySpec(Kind.NONE, null, null, 0, 0, null);

  public boolean isConstant() {
    switch (kind) {
      case TEXT:
        return text.isConstant();
      case JSON:
        return json.isConstant();
      case BINARY:
        return minBytes == maxBytes;
      default:
        return true;
    }
  }

  public Set<String> datasets() {
    switch (kind) {
      case TEXT:
        return text.datasets();
      case JSON:
        return json.datasets();
      default:
        return Set.of();
    }
  }
}
