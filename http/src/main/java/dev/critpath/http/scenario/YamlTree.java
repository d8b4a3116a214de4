package dev.critpath.http.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.critpath.UserError;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers the line of every value, so that errors
 * found long after parsing (an unknown executor, a bad threshold) still point at {@code file:line}.
 */
final class YamlTree {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String source;
  private final Map<String, Integer> lines = new HashMap<>();
  private final JsonNode root;

  private YamlTree(String source, String text) {
    this.source = source;
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      root = first == null ? NODES.objectNode() : read(p, "");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new UserError(where + ": malformed YAML: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserError(source + ": cannot read: " + e.getMessage());
    }
  }

  static YamlNode parse(String source, String text) {
    YamlTree tree = new YamlTree(source, text);
    return new YamlNode(tree, tree.root, "");
  }

  String source() {
    return source;
  }

  /** The line where the value at {@code path} starts, or the nearest enclosing value's line. */
  int lineOf(String path) {
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null || p.isEmpty()) {
        return line == null ? 1 : line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }

  UserError error(String path, String message) {
    String where = path.isEmpty() ? "" : " " + path + ":";
    return new UserError(source + ":" + lineOf(path) + ":" + where + " " + message);
  }

  private JsonNode read(JsonParser p, String path) throws IOException {
    lines.put(path, p.currentTokenLocation().getLineNr());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          ObjectNode obj = NODES.objectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String child = path.isEmpty() ? key : path + "." + key;
            int keyLine = p.currentTokenLocation().getLineNr();
            if (obj.has(key)) {
              throw new UserError(source + ":" + keyLine + ": duplicate key \"" + key + "\"");
            }
            p.nextToken();
            obj.set(key, read(p, child));
            lines.put(child, keyLine);
          }
          return obj;
        }
      case START_ARRAY:
        {
          ArrayNode arr = NODES.arrayNode();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            arr.add(read(p, path + "[" + i++ + "]"));
          }
          return arr;
        }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new UserError(
            source + ":" + p.currentTokenLocation().getLineNr() + ": unexpected YAML token " + t);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.strip().lines().findFirst().orElse(message);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
