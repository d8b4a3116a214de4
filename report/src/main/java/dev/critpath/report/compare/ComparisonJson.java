package dev.critpath.report.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import java.util.Locale;

/** The comparison as JSON, for tools: every series with its replicates and p-values. */
final class ComparisonJson implements ComparisonWriter {
  /** Bumped on incompatible changes of compare.json. */
  static final int SCHEMA_VERSION = 1;

  @Override
  public ComparisonFormat format() {
    return ComparisonFormat.JSON;
  }

  @Override
  public String render(Comparison c) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("verdict", c.regressions().isEmpty() ? "pass" : "regression");
    ObjectNode counts = root.putObject("counts");
    for (Comparison.Status s : Comparison.Status.values()) {
      counts.put(s.name().toLowerCase(Locale.ROOT), c.count(s));
    }
    root.setAll((ObjectNode) Json.mapper().valueToTree(c));
    return Json.write(root) + "\n";
  }
}
