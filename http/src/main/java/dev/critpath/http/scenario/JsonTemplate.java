package dev.critpath.http.scenario;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON request body written as YAML, whose string values may hold placeholders. Compiled into
 * fixed JSON text with holes, so a request costs one string build, not a tree walk.
 */
public final class JsonTemplate {
  private final List<String> chunks;
  private final List<Template> holes;
  private final Set<String> datasets;

  private JsonTemplate(List<String> chunks, List<Template> holes) {
    this.chunks = chunks;
    this.holes = holes;
    Set<String> used = new LinkedHashSet<>();
    holes.forEach(h -> used.addAll(h.datasets()));
    this.datasets = Set.copyOf(used);
  }

  static JsonTemplate compile(JsonNode body, Set<String> datasets, Map<String, String> env) {
    List<String> chunks = new ArrayList<>();
    List<Template> holes = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    write(body, current, chunks, holes, datasets, env);
    chunks.add(current.toString());
    return new JsonTemplate(List.copyOf(chunks), List.copyOf(holes));
  }

  private static void write(
      JsonNode node,
      StringBuilder current,
      List<String> chunks,
      List<Template> holes,
      Set<String> datasets,
      Map<String, String> env) {
    if (node.isObject()) {
      current.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!first) {
          current.append(',');
        }
        first = false;
        current.append(Json.write(field.getKey()).strip()).append(':');
        write(field.getValue(), current, chunks, holes, datasets, env);
      }
      current.append('}');
    } else if (node.isArray()) {
      current.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          current.append(',');
        }
        write(node.get(i), current, chunks, holes, datasets, env);
      }
      current.append(']');
    } else if (node.isTextual() && node.asText().contains("${")) {
      Template t = Template.compile(node.asText(), datasets, env);
      current.append('"');
      if (t.isConstant()) {
        current.append(JsonStringEncoder.getInstance().quoteAsString(t.constant()));
      } else {
        chunks.add(current.toString());
        current.setLength(0);
        holes.add(t);
      }
      current.append('"');
    } else {
      current.append(Json.write(node).strip());
    }
  }

  public boolean isConstant() {
    return holes.isEmpty();
  }

  public Set<String> datasets() {
    return datasets;
  }

  public List<Template> holes() {
    return holes;
  }

  public String render(TemplateContext ctx) {
    if (holes.isEmpty()) {
      return chunks.get(0);
    }
    StringBuilder out = new StringBuilder(256);
    StringBuilder value = new StringBuilder(64);
    for (int i = 0; i < holes.size(); i++) {
      out.append(chunks.get(i));
      value.setLength(0);
      holes.get(i).appendTo(value, ctx);
      out.append(JsonStringEncoder.getInstance().quoteAsString(value));
    }
    out.append(chunks.get(holes.size()));
    return out.toString();
  }
}
