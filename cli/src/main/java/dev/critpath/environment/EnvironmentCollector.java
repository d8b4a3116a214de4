package dev.critpath.environment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.BuildInfo;
import dev.critpath.Secrets;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.schema.Migrator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects run.json's {@code environment} section: server version, tuning settings, extensions,
 * indexes and the loaded dataset from a live database; critpath's version and git commit; the JVM
 * and the host. Read-only on the database.
 */
public final class EnvironmentCollector {
  /** Settings that change what a query costs; reported so runs can be told apart. */
  static final List<String> SETTINGS =
      List.of(
          "shared_buffers",
          "effective_cache_size",
          "work_mem",
          "maintenance_work_mem",
          "max_connections",
          "random_page_cost",
          "seq_page_cost",
          "effective_io_concurrency",
          "max_worker_processes",
          "max_parallel_workers",
          "max_parallel_workers_per_gather",
          "jit",
          "jit_above_cost",
          "plan_cache_mode",
          "default_statistics_target",
          "synchronous_commit",
          "fsync",
          "wal_level",
          "huge_pages",
          "track_io_timing",
          "shared_preload_libraries",
          "pg_stat_statements.track",
          "server_encoding",
          "lc_collate");

  private static final Pattern PG_VERSION = Pattern.compile("^(PostgreSQL [0-9.]+\\S*)");
  private static final long GIT_TIMEOUT_SECONDS = 5;

  /** Flyway's migration history table (its default name), in critpath's schema. */
  private static final String FLYWAY_HISTORY_TABLE = "flyway_schema_history";

  /** Schema digests are shown in full: 8 bytes (16 hex digits) tell schemas apart. */
  private static final int SCHEMA_DIGEST_BYTES = 8;

  private EnvironmentCollector() {}

  /** The whole environment of a run against {@code db}. */
  public static Environment collect(Database db) {
    try (Connection c = db.connect()) {
      return new Environment(
          Instant.now(),
          postgres(c, db.description()),
          critpath(),
          jvm(),
          host(),
          dataset(c),
          pooler(db.pooler()),
          schema(c));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the server environment: " + Secrets.redact(e.getMessage()), e);
    }
  }

  /** The client side only (critpath, JVM, host): for runs that have no database. */
  public static Environment collectClient() {
    return new Environment(Instant.now(), null, critpath(), jvm(), host(), null, null, null);
  }

  static Environment.Pooler pooler(Pooler p) {
    return new Environment.Pooler(
        p.mode().label(), p.detectedBy(), p.serverPreparedStatements(), p.preparedStatementsBy());
  }

  static Environment.Postgres postgres(Connection c, String description) throws SQLException {
    String version;
    int versionNum;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT version(), current_setting('server_version_num')::int")) {
      rs.next();
      Matcher m = PG_VERSION.matcher(rs.getString(1));
      version = m.find() ? m.group(1) : rs.getString(1);
      versionNum = rs.getInt(2);
    }
    Map<String, String> settings = new TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, current_setting(name) FROM pg_settings"
                + " WHERE name = ANY (?)"
                // planner switches turned off change plans; list them when they are
                + " OR (name LIKE 'enable\\_%' AND setting <> boot_val)")) {
      ps.setArray(1, c.createArrayOf("text", SETTINGS.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          settings.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    List<Environment.Extension> extensions = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT extname, extversion FROM pg_extension ORDER BY extname")) {
      while (rs.next()) {
        extensions.add(new Environment.Extension(rs.getString(1), rs.getString(2)));
      }
    }
    Map<String, String> indexes = new TreeMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT schemaname || '.' || indexname, indexdef FROM pg_indexes"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND schemaname NOT LIKE 'pg\\_toast%'")) {
      while (rs.next()) {
        indexes.put(rs.getString(1), rs.getString(2));
      }
    }
    return new Environment.Postgres(
        version, versionNum, Secrets.redact(description), settings, extensions, indexes);
  }

  static Environment.Dataset dataset(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet probe = st.executeQuery("SELECT to_regclass('critpath.marker') IS NOT NULL")) {
      probe.next();
      if (!probe.getBoolean(1)) {
        return null;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT dataset_profile, dataset_seed, dataset_fingerprint, dataset_summary::text"
                    + " FROM critpath.marker")) {
      if (!rs.next()) {
        return null;
      }
      String profile = rs.getString(1);
      Long seed = rs.getObject(2) == null ? null : rs.getLong(2);
      String fingerprint = rs.getString(3);
      String summary = rs.getString(4);
      if (summary != null && (profile == null || fingerprint == null)) {
        JsonNode node = readJson(summary);
        profile = profile != null ? profile : text(node, "profile");
        fingerprint = fingerprint != null ? fingerprint : text(node, "fingerprint");
        seed = seed != null || !node.hasNonNull("seed") ? seed : node.get("seed").asLong();
      }
      if (profile == null && fingerprint == null) {
        return null;
      }
      return new Environment.Dataset(profile, seed, fingerprint);
    }
  }

  /** The applied migrations, or null on a database critpath did not migrate. */
  static Environment.Schema schema(Connection c) throws SQLException {
    String history = Migrator.HISTORY_SCHEMA + "." + FLYWAY_HISTORY_TABLE;
    try (PreparedStatement probe = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      probe.setString(1, history);
      try (ResultSet rs = probe.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return null;
        }
      }
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    String version = null;
    int migrations = 0;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version, description, checksum FROM "
                    + history
                    + " WHERE success ORDER BY installed_rank")) {
      while (rs.next()) {
        version = rs.getString(1) != null ? rs.getString(1) : version;
        String entry = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "\n";
        digest.update(entry.getBytes(StandardCharsets.UTF_8));
        migrations++;
      }
    }
    return migrations == 0
        ? null
        : new Environment.Schema(
            version, HexFormat.of().formatHex(digest.digest(), 0, SCHEMA_DIGEST_BYTES), migrations);
  }

  static Environment.Critpath critpath() {
    String commit =
        firstNonBlank(System.getenv("CRITPATH_GIT_COMMIT"), System.getenv("GITHUB_SHA"));
    Boolean dirty = null;
    if (commit == null) {
      commit = git("rev-parse", "HEAD");
      if (commit != null) {
        String status = git("status", "--porcelain", "--untracked-files=no");
        dirty = status == null ? null : !status.isEmpty();
      }
    }
    return new Environment.Critpath(BuildInfo.critpathVersion(), commit, dirty);
  }

  static Environment.Jvm jvm() {
    return new Environment.Jvm(
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory());
  }

  static Environment.Host host() {
    Long memory = null;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new Environment.Host(
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        memory);
  }

  /** Runs git in the working directory; null when git is missing, fails or hangs. */
  private static String git(String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    try {
      // output goes to a file so a hanging git cannot block us on a full pipe
      Path out = Files.createTempFile("critpath-git", ".out");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return null;
        }
        return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8).trim() : null;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      return Json.mapper().createObjectNode();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }
}
