package dev.critpath.http.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The data: section: named data sets read from SQL, a file or inline values. */
final class DataSetParser {
  private static final Set<String> DATA = Set.of("sql", "file", "values", "pick");

  private DataSetParser() {}

  static Map<String, DataSpec> parse(YamlNode node) {
    Map<String, DataSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      String name = e.getKey();
      YamlNode d = e.getValue();
      YamlFields.checkName(d, name, "data set");
      d.allowOnly(DATA, "a data set");
      int sources = (d.has("sql") ? 1 : 0) + (d.has("file") ? 1 : 0) + (d.has("values") ? 1 : 0);
      if (sources != 1) {
        throw d.error("give exactly one of sql:, file: or values:");
      }
      List<Map<String, String>> values = null;
      if (d.has("values")) {
        values = new ArrayList<>();
        for (YamlNode row : d.get("values").items()) {
          Map<String, String> r = new LinkedHashMap<>();
          for (Map.Entry<String, YamlNode> cell : row.entries().entrySet()) {
            r.put(cell.getKey(), cell.getValue().text(""));
          }
          values.add(r);
        }
        if (values.isEmpty()) {
          throw d.get("values").error("values: holds no rows");
        }
      }
      DataSpec.Pick pick;
      try {
        pick = DataSpec.Pick.valueOf(d.get("pick").text("random").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw d.get("pick").error("pick must be random, sequential or unique");
      }
      out.put(
          name,
          new DataSpec(name, d.get("sql").text(), d.get("file").text(), values, pick, d.line()));
    }
    return out;
  }
}
