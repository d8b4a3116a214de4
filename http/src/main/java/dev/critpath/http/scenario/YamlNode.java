package dev.critpath.http.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.critpath.UserError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One value of a scenario file with its path, for reading with errors that name file:line. */
final class YamlNode {
  private final YamlTree tree;
  private final JsonNode node;
  private final String path;

  YamlNode(YamlTree tree, JsonNode node, String path) {
    this.tree = tree;
    this.node = node;
    this.path = path;
  }

  JsonNode json() {
    return node;
  }

  String path() {
    return path;
  }

  int line() {
    return tree.lineOf(path);
  }

  String source() {
    return tree.source();
  }

  UserError error(String message) {
    return tree.error(path, message);
  }

  boolean isMissing() {
    return node.isMissingNode() || node.isNull();
  }

  boolean isObject() {
    return node.isObject();
  }

  boolean isArray() {
    return node.isArray();
  }

  boolean isText() {
    return node.isTextual();
  }

  boolean has(String key) {
    return node.isObject() && node.has(key) && !node.get(key).isNull();
  }

  YamlNode get(String key) {
    JsonNode child = node.isObject() ? node.get(key) : null;
    return new YamlNode(
        tree,
        child == null ? MissingNode.getInstance() : child,
        path.isEmpty() ? key : path + "." + key);
  }

  /** The entries of a mapping, in file order; none when the value is absent. */
  Map<String, YamlNode> entries() {
    if (isMissing()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw error("expected a mapping (key: value lines)");
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      out.put(key, get(key));
    }
    return out;
  }

  /** The items of a list; a single value counts as a list of one; none when absent. */
  List<YamlNode> items() {
    List<YamlNode> out = new ArrayList<>();
    if (isMissing()) {
      return out;
    }
    if (!node.isArray()) {
      out.add(this);
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new YamlNode(tree, node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** Fails on keys outside {@code allowed}, naming the allowed ones (typos are common). */
  YamlNode allowOnly(Set<String> allowed, String what) {
    if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!allowed.contains(key)) {
          throw get(key)
              .error(
                  "unknown field \""
                      + key
                      + "\" for "
                      + what
                      + " (allowed: "
                      + String.join(", ", new TreeSet<>(allowed))
                      + ")");
        }
      }
    }
    return this;
  }

  YamlNode require() {
    if (isMissing()) {
      throw error("required");
    }
    return this;
  }

  String text() {
    if (isMissing()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw error("expected a single value, found " + (node.isArray() ? "a list" : "a mapping"));
    }
    return node.asText();
  }

  String text(String fallback) {
    String t = text();
    return t == null ? fallback : t;
  }

  long integer(long fallback, long min) {
    if (isMissing()) {
      return fallback;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber()) {
      throw error("expected a whole number, found \"" + node.asText() + "\"");
    }
    long v = node.asLong();
    if (v < min) {
      throw error("must be at least " + min + ", found " + v);
    }
    return v;
  }

  double number(double fallback) {
    if (isMissing()) {
      return fallback;
    }
    if (!node.isNumber()) {
      throw error("expected a number, found \"" + node.asText() + "\"");
    }
    return node.asDouble();
  }

  boolean bool(boolean fallback) {
    if (isMissing()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw error("expected true or false, found \"" + node.asText() + "\"");
    }
    return node.asBoolean();
  }

  Duration duration(Duration fallback) {
    if (isMissing()) {
      return fallback;
    }
    try {
      return Durations.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }
}
