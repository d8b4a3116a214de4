package dev.critpath.schema;

import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.db.SqlState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the reference schema (or a user's {@code --schema DIR}) with Flyway. The migration
 * history lives in the critpath schema, so a Supabase project's own schemas stay untouched.
 */
public final class Migrator {
  public static final String HISTORY_SCHEMA = "critpath";
  private static final String BUILT_IN_LOCATION = "classpath:critpath/schema";

  /** What a migrate call did. */
  public record Result(int applied, String version) {}

  private Migrator() {}

  /**
   * Brings the database to the newest schema version; a second call applies nothing.
   *
   * @param schemaDir a directory of Flyway migrations, or null for the reference workload
   */
  public static Result migrate(Database db, Path schemaDir, boolean allowUnmarked) {
    return migrate(db, schemaDir, allowUnmarked, schemaDir == null ? QueryCatalog.builtin() : null);
  }

  /**
   * Brings the database to the newest schema version, then (re)installs {@code
   * critpath.run_performance_tests()} generated from {@code catalog}, unless it is null.
   */
  public static Result migrate(
      Database db, Path schemaDir, boolean allowUnmarked, QueryCatalog catalog) {
    Result result = migrateSchema(db, schemaDir, allowUnmarked);
    if (catalog != null) {
      installRunner(db, catalog);
    }
    return result;
  }

  /** Installs the in-database test runner generated from {@code catalog}, in one transaction. */
  public static void installRunner(Database db, QueryCatalog catalog) {
    String script = PerformanceTestsSql.generate(catalog);
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(script);
      c.commit();
    } catch (SQLException e) {
      throw new UserError(
          "cannot install critpath.run_performance_tests() on "
              + db.spec().display()
              + ": "
              + e.getMessage().lines().findFirst().orElse("")
              + " (write the script with migrate --runner-sql FILE and run it as the owner)",
          e);
    }
  }

  private static Result migrateSchema(Database db, Path schemaDir, boolean allowUnmarked) {
    String location = BUILT_IN_LOCATION;
    if (schemaDir != null) {
      if (!Files.isDirectory(schemaDir)) {
        throw new UserError(
            "--schema " + schemaDir + " is not a directory of migrations (V1__name.sql, ...)");
      }
      location = "filesystem:" + schemaDir.toAbsolutePath();
    }
    DatabaseMarker.requireWritable(db, "migrate", allowUnmarked);
    boolean critpathSchemaBefore = schemaExists(db);
    HikariDataSource pool = db.pool(2);
    try {
      Flyway flyway =
          Flyway.configure()
              .dataSource(pool)
              .locations(location)
              .schemas(HISTORY_SCHEMA)
              .defaultSchema(HISTORY_SCHEMA)
              .createSchemas(true)
              .placeholderReplacement(false)
              .callbacks(new SessionReset())
              .cleanDisabled(true)
              .validateMigrationNaming(true)
              // all pending migrations in one transaction: a failure leaves none of them (nor the
              // marker V1 writes) behind, so an unmarked database stays unmarked
              .group(true)
              .load();
      MigrateResult result = flyway.migrate();
      String version =
          flyway.info().current() == null
              ? "none"
              : flyway.info().current().getVersion().getVersion();
      return new Result(result.migrationsExecuted, version);
    } catch (FlywayException e) {
      pool.close();
      if (!critpathSchemaBefore) {
        dropCritpathSchema(db, e);
      }
      throw explain(e, db);
    } finally {
      pool.close();
    }
  }

  private static boolean schemaExists(Database db) {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '"
                    + HISTORY_SCHEMA
                    + "')")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw new UserError(
          "cannot read " + db.spec().display() + ": " + Secrets.redact(e.getMessage()), e);
    }
  }

  /**
   * The critpath schema Flyway created for its history before the failed migration: without it, the
   * database is as it was.
   */
  private static void dropCritpathSchema(Database db, FlywayException failure) {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + HISTORY_SCHEMA + " CASCADE");
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static UserError explain(FlywayException e, Database db) {
    SQLException sql = findSqlException(e);
    if (SqlState.INSUFFICIENT_PRIVILEGE.is(sql)) {
      return new UserError(
          "no permission to create objects in "
              + db.spec().display()
              + " as user \""
              + db.spec().user()
              + "\": "
              + sql.getMessage().lines().findFirst().orElse("")
              + ". Connect as the database owner or GRANT CREATE ON DATABASE to this user",
          e);
    }
    String first =
        e.getMessage() == null
            ? e.toString()
            : e.getMessage().strip().lines().findFirst().orElse("");
    if (sql != null) {
      first = first + ": " + sql.getMessage().lines().findFirst().orElse("");
    }
    return new UserError("migration failed on " + db.spec().display() + ": " + first, e);
  }

  private static SQLException findSqlException(Throwable t) {
    for (Throwable cur = t; cur != null; cur = cur.getCause()) {
      if (cur instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }
}
