package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Lenient reads from run.json: producers name a field one of a few ways, and a missing or mistyped
 * field reads as null rather than failing the whole report.
 */
final class J {
  private J() {}

  /** The first of {@code names} present and not null, or null. */
  static JsonNode get(JsonNode node, String... names) {
    if (node == null || !node.isObject()) {
      return null;
    }
    for (String name : names) {
      JsonNode v = node.get(name);
      if (v != null && !v.isNull() && !v.isMissingNode()) {
        return v;
      }
    }
    return null;
  }

  /** Text, with anything shaped like a credential masked: reports must not leak what a run did. */
  static String str(JsonNode node, String... names) {
    JsonNode v = get(node, names);
    if (v == null) {
      return null;
    }
    return Secrets.redact(v.isValueNode() ? v.asText() : v.toString());
  }

  static Double num(JsonNode node, String... names) {
    JsonNode v = get(node, names);
    if (v == null) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        double d = Double.parseDouble(v.asText().trim());
        return Double.isNaN(d) ? null : d;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Long lng(JsonNode node, String... names) {
    Double d = num(node, names);
    return d == null ? null : Math.round(d);
  }

  static Boolean bool(JsonNode node, String... names) {
    JsonNode v = get(node, names);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.isTextual() ? Boolean.parseBoolean(v.asText()) : null;
  }

  /**
   * The elements of a list that may be written as an array, or as an object keyed by name (then
   * each element gets the key as {@code nameField} when it lacks one).
   */
  static List<JsonNode> list(JsonNode node, String nameField) {
    List<JsonNode> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(out::add);
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        JsonNode v = e.getValue();
        if (v.isObject()) {
          com.fasterxml.jackson.databind.node.ObjectNode copy =
              ((com.fasterxml.jackson.databind.node.ObjectNode) v).deepCopy();
          if (!copy.has(nameField)) {
            copy.put(nameField, e.getKey());
          }
          out.add(copy);
        }
      }
    }
    return out;
  }

  static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        out.add(n.isValueNode() ? n.asText() : n.toString());
      }
    } else if (node.isValueNode()) {
      out.add(node.asText());
    }
    return out;
  }
}
