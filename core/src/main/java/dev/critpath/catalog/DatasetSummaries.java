package dev.critpath.catalog;

import dev.critpath.dataset.DatasetSummary;
import dev.critpath.io.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Reads the seeder's summary from {@code critpath.marker}; empty when no dataset is complete. */
public final class DatasetSummaries {
  private DatasetSummaries() {}

  public static Optional<DatasetSummary> read(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('critpath.marker') IS NOT NULL")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return Optional.empty();
        }
      }
      try (ResultSet rs =
          st.executeQuery("SELECT dataset_summary::text FROM critpath.marker WHERE id = 1")) {
        if (!rs.next() || rs.getString(1) == null) {
          return Optional.empty();
        }
        return Optional.of(Json.mapper().readValue(rs.getString(1), DatasetSummary.class));
      }
    } catch (IOException e) {
      throw new SQLException("critpath.marker.dataset_summary is not a dataset summary", e);
    }
  }
}
