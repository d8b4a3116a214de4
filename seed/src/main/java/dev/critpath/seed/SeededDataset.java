package dev.critpath.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * The dataset a database holds according to its marker, with what it takes to regenerate its {@link
 * DataModel} (scale, anchor, generator version), so samplers can ask "who takes part in
 * conversation 42?" without a query.
 *
 * <p>Stored in {@code critpath.marker.dataset_summary} as the {@link DatasetSummary} JSON plus the
 * keys {@code scale}, {@code anchor} and {@code generator} (readers of plain DatasetSummary ignore
 * them).
 */
public record SeededDataset(
    DatasetSummary summary, double scale, Instant anchor, String generatorVersion) {

  /** The complete dataset recorded in the marker, or empty when none is (or a load is running). */
  public static Optional<SeededDataset> read(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      try (ResultSet probe = st.executeQuery("SELECT to_regclass('critpath.marker') IS NOT NULL")) {
        probe.next();
        if (!probe.getBoolean(1)) {
          return Optional.empty();
        }
      }
      try (ResultSet rs =
          st.executeQuery("SELECT dataset_summary::text FROM critpath.marker WHERE id = 1")) {
        if (!rs.next() || rs.getString(1) == null) {
          return Optional.empty();
        }
        return Optional.of(parse(rs.getString(1)));
      }
    }
  }

  static SeededDataset parse(String json) {
    try {
      JsonNode node = Json.mapper().readTree(json);
      DatasetSummary summary = Json.mapper().treeToValue(node, DatasetSummary.class);
      return new SeededDataset(
          summary,
          node.path("scale").asDouble(1.0),
          Instant.parse(node.path("anchor").asText()),
          node.path("generator").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable critpath.marker.dataset_summary", e);
    }
  }

  String toJson() {
    ObjectNode node = Json.mapper().valueToTree(summary);
    node.put("scale", scale);
    node.put("anchor", anchor.toString());
    node.put("generator", generatorVersion);
    return Json.write(node);
  }

  public Profile profile() {
    return Profile.parse(summary.profile());
  }

  /**
   * The model the data was generated from. Its answers match the database only when {@link
   * #generatorVersion} is this build's {@link Seeder#GENERATOR_VERSION}.
   */
  public DataModel model() {
    return new DataModel(profile().plan().scaled(scale), summary.seed(), anchor);
  }
}
