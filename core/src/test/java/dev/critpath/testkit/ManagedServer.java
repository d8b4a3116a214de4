package dev.critpath.testkit;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.EmbeddedPostgres;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server set up like a managed one (RDS, Cloud SQL, Supabase) on an embedded PostgreSQL of its
 * own: critpath connects as {@value #OWNER}, who owns its database but is no superuser, has no
 * CREATEDB or CREATEROLE and is not granted pg_read_all_stats; the API roles exist and are granted
 * to it, as on Supabase; pg_stat_statements is installed in the database, preloaded or not;
 * track_io_timing is off; hypopg is absent (the embedded binaries do not carry it) and auto_explain
 * cannot be loaded by the owner. Closing it stops the server and deletes its data.
 */
public final class ManagedServer implements AutoCloseable {
  public static final String OWNER = "app_owner";
  public static final String DATABASE = "app";

  private final EmbeddedPostgres server;
  private final ConnectionSpec owner;

  private ManagedServer(EmbeddedPostgres server, ConnectionSpec owner) {
    this.server = server;
    this.owner = owner;
  }

  /**
   * @param preloadStatStatements whether pg_stat_statements is in shared_preload_libraries (it is
   *     installed in the database either way)
   */
  public static ManagedServer start(boolean preloadStatStatements) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("shared_preload_libraries", preloadStatStatements ? "pg_stat_statements" : "");
    settings.put("track_io_timing", "off");
    EmbeddedPostgres server = EmbeddedPostgres.start(null, settings);
    try {
      ConnectionSpec admin = server.spec();
      byte[] bytes = new byte[16];
      new SecureRandom().nextBytes(bytes);
      String password = HexFormat.of().formatHex(bytes);
      TestDatabases.exec(admin, "CREATE ROLE anon NOLOGIN NOINHERIT");
      TestDatabases.exec(admin, "CREATE ROLE authenticated NOLOGIN NOINHERIT");
      TestDatabases.exec(admin, "CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS");
      TestDatabases.exec(
          admin,
          "CREATE ROLE "
              + OWNER
              + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
              + password
              + "'");
      TestDatabases.exec(admin, "GRANT anon, authenticated, service_role TO " + OWNER);
      TestDatabases.exec(admin, "CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
      ConnectionSpec app = admin.withDatabase(DATABASE);
      TestDatabases.exec(app, "CREATE SCHEMA extensions AUTHORIZATION " + OWNER);
      TestDatabases.exec(app, "CREATE EXTENSION pg_stat_statements WITH SCHEMA extensions");
      ConnectionSpec owner =
          new ConnectionSpec(admin.host(), admin.port(), DATABASE, OWNER, password, Map.of());
      return new ManagedServer(server, owner);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The owner's connection: what critpath is given. */
  public ConnectionSpec owner() {
    return owner;
  }

  /** The superuser's, for checks behind the owner's back. */
  public ConnectionSpec admin() {
    return server.spec().withDatabase(DATABASE);
  }

  @Override
  public void close() {
    server.close();
  }
}
