package dev.critpath.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.catalog.ReadOnlySql;
import dev.critpath.db.Database;
import dev.critpath.http.scenario.DataSpec;
import dev.critpath.io.Json;
import dev.critpath.run.Segment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The rows a scenario file's data sets hold, loaded once before the load starts. */
public final class DataSets {
  /** A data set drawn past its last row with {@code pick: unique}. */
  static final class ExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExhaustedException(String dataset) {
      super("data set " + dataset + " ran out of rows");
    }
  }

  /** One row: column values by name. */
  static final class Row {
    private final Map<String, Integer> index;
    private final String[] values;

    Row(Map<String, Integer> index, String[] values) {
      this.index = index;
      this.values = values;
    }

    String get(String column) {
      Integer i = index.get(column);
      return i == null ? "" : values[i];
    }
  }

  static final class Dataset {
    final String name;
    final DataSpec.Pick pick;
    final Map<String, Integer> columns;
    final List<Row> rows;
    private final AtomicLong cursor = new AtomicLong();

    Dataset(String name, DataSpec.Pick pick, List<String> columns, List<String[]> rows) {
      this(name, pick, indexOf(columns), rows);
    }

    private Dataset(
        String name, DataSpec.Pick pick, Map<String, Integer> columns, List<String[]> rows) {
      this(name, pick, columns, rows.stream().map(r -> new Row(columns, r)));
    }

    private Dataset(
        String name, DataSpec.Pick pick, Map<String, Integer> columns, Stream<Row> rows) {
      this.name = name;
      this.pick = pick;
      this.columns = columns;
      this.rows = rows.toList();
    }

    private static Map<String, Integer> indexOf(List<String> columns) {
      Map<String, Integer> idx = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        idx.put(columns.get(i), i);
      }
      return Map.copyOf(idx);
    }

    Row draw() {
      switch (pick) {
        case SEQUENTIAL:
          return rows.get((int) Math.floorMod(cursor.getAndIncrement(), (long) rows.size()));
        case UNIQUE:
          {
            long i = cursor.getAndIncrement();
            if (i >= rows.size()) {
              throw new ExhaustedException(name);
            }
            return rows.get((int) i);
          }
        default:
          return rows.get(ThreadLocalRandom.current().nextInt(rows.size()));
      }
    }
  }

  private final Map<String, Dataset> sets;

  private DataSets(Map<String, Dataset> sets) {
    this.sets = sets;
  }

  /**
   * Loads every data set.
   *
   * @param db the database SQL data sets read (null when none was given)
   * @param baseDir where relative file paths start
   */
  public static DataSets load(
      Collection<DataSpec> specs, Database db, Path baseDir, String source) {
    Map<String, Dataset> out = new HashMap<>();
    for (DataSpec spec : specs) {
      Dataset d;
      if (spec.sql() != null) {
        d = fromSql(spec, db, source);
      } else if (spec.file() != null) {
        d = fromFile(spec, baseDir.resolve(spec.file()), source);
      } else {
        List<String> columns = new ArrayList<>(spec.values().get(0).keySet());
        List<String[]> rows = new ArrayList<>();
        for (Map<String, String> v : spec.values()) {
          rows.add(columns.stream().map(c -> v.getOrDefault(c, "")).toArray(String[]::new));
        }
        d = new Dataset(spec.name(), spec.pick(), columns, rows);
      }
      if (d.rows.isEmpty()) {
        throw new UserError(
            source
                + ":"
                + spec.line()
                + ": data set "
                + spec.name()
                + " has no rows"
                + (spec.sql() != null ? " (is the database seeded? ./run.sh seed)" : ""));
      }
      out.put(spec.name(), d);
    }
    return new DataSets(out);
  }

  private static Dataset read(DataSpec spec, Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(spec.sql())) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<String[]> rows = new ArrayList<>();
      while (rs.next()) {
        String[] r = new String[columns.size()];
        for (int i = 0; i < r.length; i++) {
          String v = rs.getString(i + 1);
          r[i] = v == null ? "" : v;
        }
        rows.add(r);
      }
      return new Dataset(spec.name(), spec.pick(), columns, rows);
    }
  }

  private static Dataset fromSql(DataSpec spec, Database db, String source) {
    if (db == null) {
      throw new UserError(
          source
              + ":"
              + spec.line()
              + ": data set "
              + spec.name()
              + " reads SQL but no database was"
              + " given: pass --db-url (or DATABASE_URL), or use file: or values:");
    }
    // a scenario's data query only reads: it runs in a read-only transaction, rolled back
    try (Connection c = db.connect()) {
      return ReadOnlySql.run(c, conn -> read(spec, conn));
    } catch (SQLException e) {
      throw new UserError(
          source
              + ":"
              + spec.line()
              + ": data set "
              + spec.name()
              + ": the query failed: "
              + Secrets.redact(e.getMessage()));
    }
  }

  private static Dataset fromFile(DataSpec spec, Path file, String source) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError(
          source + ":" + spec.line() + ": data set " + spec.name() + ": cannot read " + file);
    }
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".json")) {
      try {
        JsonNode root = Json.mapper().readTree(text);
        if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).isObject()) {
          throw new UserError(file + ": expected a JSON list of objects");
        }
        List<String> columns = new ArrayList<>();
        root.get(0).fieldNames().forEachRemaining(columns::add);
        List<String[]> rows = new ArrayList<>();
        for (JsonNode row : root) {
          rows.add(
              columns.stream()
                  .map(c -> row.has(c) ? row.get(c).asText() : "")
                  .toArray(String[]::new));
        }
        return new Dataset(spec.name(), spec.pick(), columns, rows);
      } catch (IOException e) {
        throw new UserError(file + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    Iterator<String> lines = text.lines().filter(l -> !l.isBlank()).iterator();
    if (!lines.hasNext()) {
      throw new UserError(file + ": empty CSV (the first line names the columns)");
    }
    List<String> columns = Arrays.stream(lines.next().split(",", -1)).map(String::strip).toList();
    List<String[]> rows = new ArrayList<>();
    while (lines.hasNext()) {
      String[] cells = lines.next().split(",", -1);
      String[] r = new String[columns.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = i < cells.length ? cells[i].strip() : "";
      }
      rows.add(r);
    }
    return new Dataset(spec.name(), spec.pick(), columns, rows);
  }

  /**
   * The rows one execution segment may draw: row j of each set when j mod N == i - 1, so segments
   * never send the same row (a unique voucher, a user's conversation) twice.
   */
  public DataSets slice(Segment segment, String source) {
    if (segment.isWhole()) {
      return this;
    }
    Map<String, Dataset> out = new HashMap<>();
    for (Dataset d : sets.values()) {
      List<Row> mine = segment.slice(d.rows);
      if (mine.isEmpty()) {
        throw new UserError(
            source
                + ": data set "
                + d.name
                + " has "
                + d.rows.size()
                + " row(s), none for segment "
                + segment
                + ": give it at least "
                + segment.count()
                + " rows, or run fewer segments");
      }
      out.put(d.name, new Dataset(d.name, d.pick, d.columns, mine.stream()));
    }
    return new DataSets(out);
  }

  Dataset get(String name) {
    return sets.get(name);
  }

  /** Draws one row from each named data set. */
  Map<String, Row> draw(Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, Row> out = new HashMap<>();
    for (String n : names) {
      out.put(n, sets.get(n).draw());
    }
    return out;
  }

  /** Fails when a template reads a column a data set does not have. */
  void checkColumn(String dataset, String column, String where) {
    Dataset d = sets.get(dataset);
    if (d != null && !d.columns.containsKey(column)) {
      throw new UserError(
          where
              + ": data set "
              + dataset
              + " has no column \""
              + column
              + "\" (columns: "
              + String.join(", ", d.columns.keySet())
              + ")");
    }
  }
}
