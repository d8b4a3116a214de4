package dev.critpath.http.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/** A path into a JSON body: {@code items[0].nutrition.calories}, {@code [0].id}, {@code $.a}. */
public final class JsonPath {
  private final String text;
  private final List<Object> steps;

  private JsonPath(String text, List<Object> steps) {
    this.text = text;
    this.steps = steps;
  }

  public static JsonPath parse(String text) {
    String s = text.strip();
    if (s.startsWith("$")) {
      s = s.substring(1);
    }
    List<Object> steps = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[') {
        int end = s.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed [ in JSON path \"" + text + "\"");
        }
        try {
          steps.add(Integer.parseInt(s.substring(i + 1, end).strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "[...] in JSON path \"" + text + "\" must hold an index");
        }
        i = end + 1;
      } else {
        int end = i;
        while (end < s.length() && s.charAt(end) != '.' && s.charAt(end) != '[') {
          end++;
        }
        steps.add(s.substring(i, end));
        i = end;
      }
    }
    if (steps.isEmpty() && !s.isEmpty()) {
      throw new IllegalArgumentException("empty JSON path \"" + text + "\"");
    }
    return new JsonPath(text, List.copyOf(steps));
  }

  /** The value at this path, or a missing node. */
  public JsonNode find(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      if (node == null || node.isMissingNode()) {
        return MissingNode.getInstance();
      }
      node = step instanceof Integer ? node.get((Integer) step) : node.get((String) step);
    }
    return node == null ? MissingNode.getInstance() : node;
  }

  @Override
  public String toString() {
    return text;
  }
}
