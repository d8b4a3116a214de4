package dev.critpath.report.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.run.Section;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads run.json's "environment" and "dataset" sections. */
final class EnvironmentReader {
  private EnvironmentReader() {}

  static Environment environment(JsonNode node, List<String> notes) {
    if (node == null || !node.isObject()) {
      return null;
    }
    try {
      return Json.mapper().treeToValue(node, Environment.class);
    } catch (JsonProcessingException e) {
      notes.add("the environment section could not be read: " + e.getOriginalMessage());
      return null;
    }
  }

  /** The seeder's summary, else the dataset the bench stage or the environment recorded. */
  static DatasetView dataset(JsonNode sections, Environment env) {
    JsonNode node = sections.get(Section.DATASET.key());
    if (node == null) {
      node = J.get(sections.get(Section.BENCH.key()), "dataset");
    }
    if (node != null && node.isObject()) {
      Map<String, Long> rows = new LinkedHashMap<>();
      JsonNode r = node.get("rows");
      if (r != null && r.isObject()) {
        r.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().asLong()));
      }
      return new DatasetView(
          J.str(node, "profile"), J.lng(node, "seed"), J.str(node, "fingerprint"), rows);
    }
    if (env != null && env.dataset() != null) {
      Environment.Dataset d = env.dataset();
      return new DatasetView(d.profile(), d.seed(), d.fingerprint(), Map.of());
    }
    return null;
  }
}
