package dev.critpath.cli;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.run.PairedRounds;
import dev.critpath.schema.DatabaseMarker;
import dev.critpath.schema.Migrator;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two databases of an interleaved A/B run, side by side on one server: created fresh (a
 * leftover from an earlier run is dropped only when it carries critpath's marker), the candidate as
 * a copy of the seeded baseline or seeded alike, and checked to hold the same data. Both are
 * dropped when the run ends.
 */
final class AbDatabases implements AutoCloseable {
  static final String BASELINE = "critpath_ab_baseline";
  static final String CANDIDATE = "critpath_ab_candidate";

  private final Database server;
  private final List<Database> opened = new ArrayList<>();
  private final List<String> created = new ArrayList<>();

  AbDatabases(Database server) {
    this.server = server;
  }

  /** Creates the side's database, empty, and connects to it. */
  Database create(String name) {
    return create(name, null);
  }

  /**
   * Creates the side's database as a copy of {@code template} (which loses its connections: it is
   * reopened by {@link #open}) and connects to it.
   */
  Database copy(String name, Database template, String templateName) {
    opened.remove(template);
    template.close();
    return create(name, templateName);
  }

  /** Connects to a database this run created. */
  Database open(String name) {
    Database db =
        Database.open(
            new DatabaseTarget.External(server.spec().withDatabase(name), "ab"),
            server.statementTimeout());
    opened.add(db);
    return db;
  }

  /** Drops one of this run's databases (a failed copy), closing its connections first. */
  void drop(String name, Database db) {
    opened.remove(db);
    db.close();
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      created.remove(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop " + name, e);
    }
  }

  private Database create(String name, String template) {
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      if (exists(c, name)) {
        requireOurs(name);
        st.execute("DROP DATABASE " + name + " WITH (FORCE)");
      }
      st.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
      created.add(name);
    } catch (SQLException e) {
      throw new UserError(
          "cannot create database "
              + name
              + " on "
              + server.spec().display()
              + ": "
              + Secrets.redact(e.getMessage().lines().findFirst().orElse(""))
              + " (the user needs CREATEDB; or point --db-url at a server where it has it)",
          e);
    }
    return open(name);
  }

  /**
   * Migrates one side.
   *
   * @throws UserError naming the side and the failing migration
   */
  static Migrator.Result migrate(Database db, Path schema, String side, String option) {
    try {
      return Migrator.migrate(db, schema, false, null);
    } catch (UserError e) {
      throw new UserError(
          "the "
              + side
              + " schema "
              + (schema == null ? "(bundled)" : schema.toString())
              + " does not migrate: "
              + e.getMessage()
              + " (fix that migration, or point "
              + option
              + " at a directory that migrates)",
          e);
    }
  }

  static DatasetSummary seed(Database db, SeedOptions options) {
    Seeder.seed(db, options);
    return dataset(db);
  }

  /** The dataset critpath's marker records in {@code db}. */
  static DatasetSummary dataset(Database db) {
    try (Connection c = db.connect()) {
      return DatasetSummaries.read(c)
          .orElseThrow(() -> new IllegalStateException("no dataset recorded after the seed"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the seeded dataset", e);
    }
  }

  /**
   * The dataset both sides hold: the same seed fingerprint and the same rows in every seeded table.
   *
   * @throws UserError naming the first difference
   */
  static PairedRounds.Dataset sameData(
      Database baseline, DatasetSummary a, Database candidate, DatasetSummary b, String how) {
    if (!a.fingerprint().equals(b.fingerprint())) {
      throw new UserError(
          "the two sides' datasets differ (fingerprint "
              + a.fingerprint()
              + " on the baseline, "
              + b.fingerprint()
              + " on the candidate): paired rounds need identical data; seed both with the same"
              + " --profile and --dataset-seed");
    }
    Map<String, Long> counts = counts(baseline, a);
    Map<String, Long> other = counts(candidate, a);
    for (var e : counts.entrySet()) {
      long there = other.get(e.getKey());
      if (there != e.getValue()) {
        throw new UserError(
            "the two sides' datasets differ: table "
                + e.getKey()
                + " holds "
                + e.getValue()
                + " rows on the baseline and "
                + there
                + " on the candidate after the same seed (a migration that adds or deletes rows?);"
                + " paired rounds need identical data: move the data change out of the schema"
                + " directory, or compare two separate runs with ./run.sh compare");
      }
    }
    return new PairedRounds.Dataset(a.profile(), a.seed(), a.fingerprint(), counts, how);
  }

  /** Every index of the public schema, to tell an index gone from one the plan stopped using. */
  static List<String> indexes(Database db) {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the indexes of " + db.spec().display(), e);
    }
    return out;
  }

  private static Map<String, Long> counts(Database db, DatasetSummary summary) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (String table : summary.rows().keySet()) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM public." + table)) {
          rs.next();
          out.put(table, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the rows of " + db.spec().display(), e);
    }
    return out;
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A leftover of an earlier run is replaced; somebody else's database of that name is not. */
  private void requireOurs(String name) throws SQLException {
    try (Database old =
            Database.open(
                new DatabaseTarget.External(server.spec().withDatabase(name), "ab"),
                server.statementTimeout());
        Connection c = old.connect()) {
      if (DatabaseMarker.read(c) == DatabaseMarker.State.UNMARKED) {
        throw new UserError(
            "database "
                + name
                + " exists on "
                + server.spec().display()
                + " and is not critpath's (no critpath.marker): drop or rename it, ./run.sh ab"
                + " creates it itself");
      }
    }
  }

  /** Drops the databases this run created. */
  @Override
  public void close() {
    opened.forEach(Database::close);
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      for (String name : created) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      System.err.println(
          "critpath: could not drop " + created + ": " + Secrets.redact(e.getMessage()));
    }
  }
}
