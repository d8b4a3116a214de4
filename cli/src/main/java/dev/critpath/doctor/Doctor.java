package dev.critpath.doctor;

import dev.critpath.db.Libraries;
import dev.critpath.db.Pooler;
import dev.critpath.run.NotCaptured;
import dev.critpath.schema.DatabaseMarker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that a database can host critpath's benchmarks and says how to fix what is missing. It
 * only reads: every check is a query against catalogs and settings.
 */
public final class Doctor {
  private static final int MIN_TESTED_VERSION = 150000;
  private static final int MIN_VERSION = 140000;

  private final Connection c;

  private Doctor(Connection c) {
    this.c = c;
  }

  public static List<DoctorCheck> examine(Connection c) throws SQLException {
    return new Doctor(c).run();
  }

  /** What the realtime stage loses without logical decoding. */
  private static final String WEBSOCKET_LEVEL =
      "the websocket level (its relay reads a logical replication slot)";

  /** Which stage loses what when a check is not OK, by check name. */
  private static final Map<String, String[]> LOSSES =
      Map.ofEntries(
          Map.entry(
              "pg_stat_statements preloaded",
              new String[] {"bench", "server-side time, buffers and rows per query"}),
          Map.entry(
              "pg_stat_statements extension",
              new String[] {"bench", "server-side time, buffers and rows per query"}),
          Map.entry(
              "pg_stat_statements readable",
              new String[] {"bench", "server-side time, buffers and rows per query"}),
          Map.entry(
              "statistics visibility",
              new String[] {"inspect", "statements of other roles in pg_stat_statements"}),
          Map.entry(
              "track_io_timing",
              new String[] {
                "explain", "I/O read and write times in plans and statement statistics"
              }),
          Map.entry(
              "auto_explain", new String[] {"explain", "plans of the statements inside functions"}),
          Map.entry("hypopg", new String[] {"explain", "what-if with hypothetical indexes"}),
          Map.entry(
              "create privilege",
              new String[] {"seed", "the schema and the dataset (no CREATE privilege)"}),
          Map.entry(
              "API roles",
              new String[] {"bench", "the rls_on variant and the RLS stage (API roles)"}),
          Map.entry("wal_level", new String[] {"realtime", WEBSOCKET_LEVEL}),
          Map.entry("replication privilege", new String[] {"realtime", WEBSOCKET_LEVEL}));

  /**
   * What each stage cannot capture on this server, from the checks that are not OK and from the
   * pooler, for run.json's {@link dev.critpath.run.Section#NOT_CAPTURED} section.
   */
  public static List<NotCaptured> notCaptured(List<DoctorCheck> checks, Pooler pooler) {
    List<NotCaptured> out = new ArrayList<>(pooler.gaps());
    for (DoctorCheck c : checks) {
      String[] loss = LOSSES.get(c.name());
      if (loss != null && c.status() != DoctorCheck.Status.OK) {
        out.add(new NotCaptured(loss[0], loss[1], c.detail(), c.fix().isEmpty() ? null : c.fix()));
      }
    }
    return out;
  }

  private List<DoctorCheck> run() throws SQLException {
    List<DoctorCheck> checks = new ArrayList<>();
    checks.add(serverVersion());
    checks.addAll(statStatements());
    checks.add(
        setting(
            "track_io_timing",
            "on",
            "I/O times are not measured",
            "ALTER SYSTEM SET track_io_timing = on; SELECT pg_reload_conf();"));
    checks.add(trigram());
    checks.add(autoExplain());
    checks.add(hypopg());
    checks.add(logicalDecoding());
    checks.add(replicationPrivilege());
    checks.add(statsVisibility());
    checks.add(createPrivilege());
    checks.add(apiRoles());
    checks.add(schemaVersion());
    return checks;
  }

  private DoctorCheck serverVersion() throws SQLException {
    int num = Integer.parseInt(value("SHOW server_version_num"));
    String version = value("SHOW server_version");
    if (num < MIN_VERSION) {
      return DoctorCheck.fail(
          "server version", "PostgreSQL " + version, "critpath needs PostgreSQL 14 or newer");
    }
    if (num < MIN_TESTED_VERSION) {
      return DoctorCheck.warn(
          "server version", "PostgreSQL " + version, "critpath is tested on PostgreSQL 15 and 17");
    }
    return DoctorCheck.ok("server version", "PostgreSQL " + version);
  }

  private List<DoctorCheck> statStatements() throws SQLException {
    List<DoctorCheck> checks = new ArrayList<>();
    boolean preloaded = Libraries.loaded(c, Libraries.PG_STAT_STATEMENTS);
    if (!preloaded) {
      checks.add(
          DoctorCheck.fail(
              "pg_stat_statements preloaded",
              "not in shared_preload_libraries: server-side time per query cannot be measured",
              "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements' (keep any existing entries), then restart PostgreSQL"));
    } else {
      checks.add(DoctorCheck.ok("pg_stat_statements preloaded", "in shared_preload_libraries"));
    }
    String schema =
        valueOrNull(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
    if (schema == null) {
      checks.add(
          DoctorCheck.fail(
              "pg_stat_statements extension",
              "not installed in this database",
              "CREATE EXTENSION pg_stat_statements; (as a superuser; ./run.sh migrate does it when it can)"));
      return checks;
    }
    if (preloaded) {
      try (Statement st = c.createStatement()) {
        st.executeQuery("SELECT count(*) FROM " + quoteIdent(schema) + ".pg_stat_statements")
            .close();
        checks.add(DoctorCheck.ok("pg_stat_statements readable", "extension in schema " + schema));
      } catch (SQLException e) {
        checks.add(
            DoctorCheck.fail(
                "pg_stat_statements readable",
                firstLine(e.getMessage()),
                "GRANT pg_read_all_stats TO " + value("SELECT current_user")));
      }
    }
    if (!preloaded) {
      return checks; // its settings do not exist until the library is loaded
    }
    String track = value("SHOW pg_stat_statements.track", "unknown");
    if ("all".equals(track)) {
      checks.add(DoctorCheck.ok("pg_stat_statements.track", "all"));
    } else {
      checks.add(
          DoctorCheck.warn(
              "pg_stat_statements.track",
              track
                  + ": statements inside functions (send_message, redeem_voucher) are not counted",
              "ALTER SYSTEM SET pg_stat_statements.track = 'all'; SELECT pg_reload_conf();"));
    }
    return checks;
  }

  private DoctorCheck trigram() throws SQLException {
    String installed = valueOrNull("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'");
    if (installed != null) {
      return DoctorCheck.ok("pg_trgm", "installed (" + installed + ")");
    }
    if (valueOrNull("SELECT name FROM pg_available_extensions WHERE name = 'pg_trgm'") != null) {
      return DoctorCheck.ok("pg_trgm", "available; ./run.sh migrate installs it");
    }
    return DoctorCheck.fail(
        "pg_trgm",
        "not available on this server: the ILIKE search index cannot be built",
        "install the PostgreSQL contrib package (Debian: postgresql-contrib)");
  }

  private DoctorCheck autoExplain() throws SQLException {
    if (Libraries.loaded(c, Libraries.AUTO_EXPLAIN)) {
      return DoctorCheck.ok("auto_explain", "preloaded: plans inside functions are captured");
    }
    if ("on".equals(value("SHOW is_superuser"))) {
      return DoctorCheck.ok(
          "auto_explain", "loadable per session (superuser): plans inside functions are captured");
    }
    return DoctorCheck.warn(
        "auto_explain",
        "not preloaded and not superuser: plans inside functions are not captured",
        "add auto_explain to shared_preload_libraries or session_preload_libraries");
  }

  /** Whether the realtime relay can read a logical replication slot as this role. */
  public static boolean relayCanRun(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('wal_level') = 'logical' AND (rolsuper OR rolreplication)"
                    + " FROM pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private DoctorCheck replicationPrivilege() throws SQLException {
    String allowed =
        value(
            "SELECT (rolsuper OR rolreplication)::text FROM pg_roles WHERE rolname = current_user");
    if ("true".equals(allowed)) {
      return DoctorCheck.ok("replication privilege", "the role may create replication slots");
    }
    return DoctorCheck.warn(
        "replication privilege",
        "the role may not create replication slots: the realtime websocket level cannot run",
        "ALTER ROLE " + value("SELECT current_user") + " WITH REPLICATION");
  }

  private DoctorCheck logicalDecoding() throws SQLException {
    String level = value("SHOW wal_level");
    if ("logical".equals(level)) {
      return DoctorCheck.ok("wal_level", "logical: the realtime relay can read postgres_changes");
    }
    return DoctorCheck.warn(
        "wal_level",
        level
            + ": the realtime websocket level cannot run (its relay reads postgres_changes from a"
            + " logical replication slot, as Supabase Realtime does)",
        "ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL");
  }

  private DoctorCheck hypopg() throws SQLException {
    if (valueOrNull("SELECT name FROM pg_available_extensions WHERE name = 'hypopg'") != null) {
      return DoctorCheck.ok("hypopg", "available: what-if index analysis runs");
    }
    if (DatabaseMarker.read(c) != DatabaseMarker.State.UNMARKED) {
      return DoctorCheck.ok(
          "hypopg",
          "not available, not needed: on a database critpath owns, what-if builds real indexes"
              + " inside rolled-back transactions and measures them");
    }
    return DoctorCheck.warn(
        "hypopg",
        "not available: what-if index analysis is skipped on this database (no critpath marker)",
        "install hypopg (Debian: postgresql-<version>-hypopg)");
  }

  private DoctorCheck statsVisibility() throws SQLException {
    boolean allStats =
        "t"
            .equals(
                value(
                    "SELECT (rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER'))::text::char FROM pg_roles WHERE rolname = current_user"));
    if (allStats) {
      return DoctorCheck.ok("statistics visibility", "can read every session's statistics");
    }
    return DoctorCheck.warn(
        "statistics visibility",
        "sees only its own statements in pg_stat_statements",
        "GRANT pg_read_all_stats TO " + value("SELECT current_user"));
  }

  private DoctorCheck createPrivilege() throws SQLException {
    boolean canCreate =
        "t"
            .equals(
                value(
                    "SELECT (has_database_privilege(current_database(), 'CREATE') AND has_schema_privilege('public', 'CREATE'))::text::char"));
    String user = value("SELECT current_user");
    if (canCreate) {
      return DoctorCheck.ok("create privilege", user + " may create schemas and tables");
    }
    return DoctorCheck.warn(
        "create privilege",
        user + " cannot create objects here: ./run.sh migrate will fail",
        "connect as the database owner, or GRANT CREATE ON DATABASE "
            + value("SELECT current_database()")
            + " TO "
            + user);
  }

  private DoctorCheck apiRoles() throws SQLException {
    String missing =
        value(
            "SELECT coalesce(string_agg(r, ', '), '') FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) r"
                + " WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)"
                + "    OR NOT pg_has_role(current_user, r, 'MEMBER')");
    if (missing.isEmpty()) {
      return DoctorCheck.ok(
          "API roles",
          "anon, authenticated and service_role exist; this user can SET ROLE to them");
    }
    return DoctorCheck.warn(
        "API roles",
        "missing or not grantable: "
            + missing
            + " (queries cannot run under RLS as PostgREST does)",
        "./run.sh migrate creates them; on an existing server GRANT "
            + missing
            + " TO "
            + value("SELECT current_user"));
  }

  private DoctorCheck schemaVersion() throws SQLException {
    if (valueOrNull("SELECT to_regclass('critpath.flyway_schema_history')::text") == null) {
      return DoctorCheck.warn("critpath schema", "not migrated", "./run.sh migrate");
    }
    String version =
        value(
            "SELECT coalesce(max(version), 'none') FROM critpath.flyway_schema_history WHERE success");
    String marker = valueOrNull("SELECT to_regclass('critpath.marker')::text");
    return DoctorCheck.ok(
        "critpath schema",
        "version " + version + (marker != null ? ", marked as critpath data" : ""));
  }

  private DoctorCheck setting(String name, String wanted, String consequence, String fix)
      throws SQLException {
    String actual = value("SHOW " + name);
    if (wanted.equals(actual)) {
      return DoctorCheck.ok(name, actual);
    }
    return DoctorCheck.warn(name, actual + ": " + consequence, fix);
  }

  private String value(String sql) throws SQLException {
    String v = valueOrNull(sql);
    return v == null ? "" : v;
  }

  /** A setting that may not exist (an extension's GUC when the library is not loaded). */
  private String value(String sql, String fallback) {
    try {
      return value(sql);
    } catch (SQLException e) {
      return fallback;
    }
  }

  private String valueOrNull(String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
