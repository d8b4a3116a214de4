package dev.critpath.cli;

import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.EmbeddedPostgres;
import dev.critpath.db.Pooler;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command finds its database; shared by every command that needs one. */
public final class DatabaseOptions {
  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "PostgreSQL to use: postgresql://user:pass@host:5432/db?sslmode=require or a JDBC URL."
              + " Default: DATABASE_URL, then the PG* variables, then an embedded server.")
  String dbUrl;

  @Option(
      names = "--db",
      paramLabel = "KIND",
      description = "embedded (default when no URL is given), container or container:IMAGE.")
  String db;

  @Option(
      names = "--keep-db",
      arity = "0..1",
      paramLabel = "DIR",
      fallbackValue = "",
      description =
          "Keep the embedded server's data between runs (so a seeded dataset survives)."
              + " Optional DIR, default ~/.cache/critpath/pgdata-17 (/var/tmp/critpath as root).")
  String keepDb;

  @Option(
      names = "--statement-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "statement_timeout on every connection (default: ${DEFAULT-VALUE} s).")
  long statementTimeoutSeconds;

  @Option(
      names = "--pooler",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "What is between critpath and PostgreSQL: auto (default: found out from how backends"
              + " behave), direct, session or transaction (PgBouncer pool_mode, Supabase's"
              + " pooler: 6543 transaction, 5432 session).")
  String pooler;

  @Option(
      names = "--allow-unmarked",
      description =
          "Write to a database that has tables but no critpath marker (explain: execute write"
              + " queries and build what-if indexes there, always rolled back). Only for databases"
              + " you are sure hold no data you need.")
  boolean allowUnmarked;

  DatabaseTarget target() {
    Path kept = null;
    if (keepDb != null) {
      kept = keepDb.isEmpty() ? EmbeddedPostgres.defaultKeptDataDir() : Path.of(keepDb);
    }
    return DatabaseTarget.resolve(dbUrl, db, kept, System.getenv());
  }

  Database open() {
    return Database.open(
        target(), Duration.ofSeconds(statementTimeoutSeconds), Pooler.parseChoice(pooler));
  }

  /** The console's first lines: where the database is and what is in between. */
  static String using(Database db) {
    return "critpath: using "
        + db.description()
        + System.lineSeparator()
        + "critpath: connection "
        + db.pooler().describe();
  }
}
