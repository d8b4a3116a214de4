package dev.critpath.db;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server critpath starts for itself: the zonky binaries, a fresh (or kept) data
 * directory, a free port on 127.0.0.1, pg_stat_statements and auto_explain preloaded. TCP logins
 * need a random password (scram-sha-256), so other local users cannot walk in as superuser.
 *
 * <p>PostgreSQL refuses to run as root, and CI containers run as root: then every server process
 * runs as the unprivileged user {@value #UNPRIVILEGED_USER} through setpriv. The server gets a
 * parent-death signal so it stops even when the JVM is killed; a shutdown hook stops it on normal
 * exit, Ctrl-C and SIGTERM.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  public static final String SUPERUSER = "postgres";
  public static final String DATABASE = "critpath";
  static final String UNPRIVILEGED_USER = "nobody";
  static final String UNPRIVILEGED_GROUP = "nogroup";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  /** Server settings every embedded run gets; benchmarks rely on the first three. */
  static final Map<String, String> SERVER_CONFIG =
      Map.ofEntries(
          Map.entry("shared_preload_libraries", "pg_stat_statements,auto_explain"),
          Map.entry("pg_stat_statements.track", "all"),
          Map.entry("track_io_timing", "on"),
          Map.entry("listen_addresses", "127.0.0.1"),
          Map.entry("unix_socket_directories", ""),
          Map.entry("max_connections", "200"),
          // Realtime's postgres_changes read a logical replication slot (supabase/realtime).
          Map.entry("wal_level", "logical"),
          Map.entry("shared_buffers", "512MB"),
          Map.entry("work_mem", "16MB"),
          Map.entry("maintenance_work_mem", "512MB"),
          Map.entry("max_wal_size", "4GB"),
          Map.entry("checkpoint_timeout", "15min"),
          // Local SSD, as managed services tune it: random reads cost about what sequential ones
          // do, so a LIMIT read through an ordered index is not priced as 4x random I/O.
          Map.entry("random_page_cost", "1.1"),
          Map.entry("logging_collector", "off"),
          Map.entry("log_min_messages", "warning"));

  private final Path dataDir;
  private final String password;
  private final ExecutorService launcher;
  private final boolean keepData;
  private final int port;
  private final Path installDir;
  private final Map<String, String> settings;
  private volatile Process server;
  private final Path logFile;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private EmbeddedPostgres(
      Path installDir,
      Path dataDir,
      String password,
      boolean keepData,
      int port,
      ExecutorService launcher,
      Process server,
      Path logFile,
      Map<String, String> settings) {
    this.launcher = launcher;
    this.settings = settings;
    this.installDir = installDir;
    this.dataDir = dataDir;
    this.password = password;
    this.keepData = keepData;
    this.port = port;
    this.server = server;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stop, "critpath-embedded-pg-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a server.
   *
   * @param keptDataDir a data directory that survives the run (created on first use), or null for a
   *     throw-away one
   */
  public static EmbeddedPostgres start(Path keptDataDir) {
    return start(keptDataDir, Map.of());
  }

  /**
   * Starts a server with some of {@link #SERVER_CONFIG} changed: for tests that need a server like
   * a managed one (nothing preloaded, track_io_timing off).
   *
   * @param overrides settings that replace or add to the defaults
   */
  public static EmbeddedPostgres start(Path keptDataDir, Map<String, String> overrides) {
    Map<String, String> settings = new LinkedHashMap<>(SERVER_CONFIG);
    settings.putAll(overrides);
    Path cacheRoot = cacheRoot();
    Path install = PostgresBinaries.install(cacheRoot);
    try {
      boolean keep = keptDataDir != null;
      Path dataDir =
          keep
              ? keptDataDir.toAbsolutePath()
              : Files.createTempDirectory(cacheRoot, "data-").resolve("pgdata");
      Files.createDirectories(dataDir.getParent());
      Path passwordFile = dataDir.getParent().resolve(dataDir.getFileName() + ".password");
      if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
        Files.createDirectories(dataDir);
        handToServerUser(dataDir);
        initdb(install, dataDir, passwordFile);
      }
      String password = readPassword(passwordFile);
      Path logFile = dataDir.getParent().resolve(dataDir.getFileName() + ".log");
      int port = freePort();
      ExecutorService launcher =
          Executors.newSingleThreadExecutor(EmbeddedPostgres::launcherThread);
      Process process;
      try {
        process = launch(launcher, install, dataDir, port, logFile, settings);
      } catch (IOException | RuntimeException e) {
        launcher.shutdown();
        throw e;
      }
      EmbeddedPostgres pg =
          new EmbeddedPostgres(
              install, dataDir, password, keep, port, launcher, process, logFile, settings);
      try {
        pg.awaitReady();
        pg.ensureDatabase();
      } catch (RuntimeException e) {
        pg.close();
        throw e;
      }
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded PostgreSQL", e);
    }
  }

  /** Where kept data lives by default: one directory per user, outside the work tree. */
  public static Path defaultKeptDataDir() {
    if (isRoot()) {
      return Path.of("/var/tmp/critpath/pgdata-17");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "critpath", "pgdata-17");
  }

  /** Connection to the {@value #DATABASE} database as the superuser. */
  public ConnectionSpec spec() {
    return new ConnectionSpec("127.0.0.1", port, DATABASE, SUPERUSER, password, Map.of());
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }

  /**
   * Stops the server and starts it again on the same port and data, as a crash-and-recover or a
   * maintenance restart would look to clients: every open connection breaks. For fault-injection
   * tests; {@code immediate} skips the shutdown checkpoint (SIGQUIT), like a crash.
   */
  public void restart(boolean immediate) {
    restart(immediate, Duration.ZERO);
  }

  /**
   * Like {@link #restart(boolean)}, staying down for {@code downtime} first: connections are
   * refused meanwhile, as during an outage.
   */
  public synchronized void restart(boolean immediate, Duration downtime) {
    if (closed) {
      throw new IllegalStateException("the embedded PostgreSQL is closed");
    }
    try {
      shutDown(immediate ? "-QUIT" : "-INT");
      Thread.sleep(downtime.toMillis());
      server = launch(launcher, installDir, dataDir, port, logFile, settings);
      awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the embedded PostgreSQL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting the embedded PostgreSQL", e);
    }
  }

  private void shutDown(String signal) throws IOException, InterruptedException {
    if (server.isAlive()) {
      new ProcessBuilder("kill", signal, Long.toString(server.pid())).start().waitFor();
      if (!server.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
      shutDown("-INT");
      if (!keepData) {
        FileUtils.deleteDirectory(dataDir.getParent().toFile());
      }
    } catch (IOException e) {
      LOG.warn("could not clean up the embedded PostgreSQL at {}: {}", dataDir, e.getMessage());
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      launcher.shutdown();
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new UserError(
            "the embedded PostgreSQL exited during startup: "
                + lastLogLine()
                + " (log: "
                + logFile
                + ")");
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
        sleep(50);
      }
    }
    throw new UserError(
        "the embedded PostgreSQL did not accept connections within "
            + STARTUP_TIMEOUT.toSeconds()
            + " s: "
            + (last == null ? "" : last.getMessage())
            + " (log: "
            + logFile
            + ")");
  }

  private void ensureDatabase() {
    try (Connection c = connect("postgres");
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
      if (!rs.next()) {
        st.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the embedded database: " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", SUPERUSER);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "2");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
  }

  private String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).trim();
        }
      }
    } catch (IOException e) {
      // fall through: no log to quote
    }
    return "no log output";
  }

  private static void initdb(Path install, Path dataDir, Path passwordFile) throws IOException {
    Path log = dataDir.getParent().resolve("initdb.log");
    writePassword(passwordFile);
    List<String> cmd = new ArrayList<>(asServerUser());
    cmd.addAll(
        List.of(
            install.resolve("bin/initdb").toString(),
            "-D",
            dataDir.toString(),
            "-U",
            SUPERUSER,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--pwfile=" + passwordFile,
            "--encoding=UTF8",
            "--no-locale",
            "--no-instructions"));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new UserError(
            "initdb failed for the embedded PostgreSQL in "
                + dataDir
                + ": "
                + Files.readString(log).strip().replace('\n', ' '));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating the embedded PostgreSQL");
    }
  }

  /**
   * The thread every server process of one instance is started from. The parent-death signal
   * (setpriv --pdeathsig) fires when the thread that started a process ends, not the JVM: a server
   * started or restarted from a short-lived thread would be stopped as soon as that thread ends.
   * This one lives as long as the server (a daemon, so it never holds the JVM up).
   */
  private static Thread launcherThread(Runnable r) {
    Thread t = new Thread(r, "critpath-embedded-pg-launcher");
    t.setDaemon(true);
    return t;
  }

  private static Process launch(
      ExecutorService launcher,
      Path install,
      Path dataDir,
      int port,
      Path logFile,
      Map<String, String> settings)
      throws IOException {
    try {
      return launcher.submit(() -> launch(install, dataDir, port, logFile, settings)).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot start the embedded PostgreSQL", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while starting the embedded PostgreSQL");
    }
  }

  private static Process launch(
      Path install, Path dataDir, int port, Path logFile, Map<String, String> settings)
      throws IOException {
    List<String> cmd = new ArrayList<>(asServerUser());
    cmd.add(install.resolve("bin/postgres").toString());
    cmd.addAll(List.of("-D", dataDir.toString(), "-p", Integer.toString(port)));
    settings.forEach((k, v) -> cmd.addAll(List.of("-c", k + "=" + v)));
    LOG.debug("starting embedded PostgreSQL: {}", cmd);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  /**
   * The command prefix that runs a server binary: as {@value #UNPRIVILEGED_USER} when we are root,
   * and always with a parent-death signal so an orphaned server shuts itself down.
   */
  public static List<String> asServerUser() {
    if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      if (isRoot()) {
        throw new UserError(
            "running as root needs setpriv (util-linux) to start the embedded PostgreSQL as an"
                + " unprivileged user: install util-linux or run critpath as a normal user");
      }
      return List.of();
    }
    if (isRoot()) {
      return List.of(
          "/usr/bin/setpriv",
          "--reuid=" + UNPRIVILEGED_USER,
          "--regid=" + UNPRIVILEGED_GROUP,
          "--clear-groups",
          "--pdeathsig",
          "INT",
          "--");
    }
    return List.of("/usr/bin/setpriv", "--pdeathsig", "INT", "--");
  }

  /** A fresh random superuser password, readable only by the server's user (and root). */
  private static void writePassword(Path passwordFile) throws IOException {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    Files.deleteIfExists(passwordFile);
    Files.createFile(
        passwordFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(passwordFile, password + "\n");
    if (isRoot()) {
      Files.setOwner(
          passwordFile,
          passwordFile
              .getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(UNPRIVILEGED_USER));
    }
  }

  private static String readPassword(Path passwordFile) throws IOException {
    if (!Files.exists(passwordFile)) {
      throw new UserError(
          "the kept embedded data directory has no password file "
              + passwordFile
              + ": it was not created by this critpath version; delete the directory to start afresh");
    }
    String password = Files.readString(passwordFile).strip();
    Secrets.register(password);
    return password;
  }

  private static void handToServerUser(Path dataDir) throws IOException {
    handToServerUser(List.of(dataDir, dataDir.getParent()));
  }

  /**
   * Gives files to the user server processes run as (see {@link #asServerUser}): a no-op unless we
   * are root. The testkit's PgBouncer runs the same way.
   */
  public static void handToServerUser(List<Path> paths) throws IOException {
    if (!isRoot()) {
      return;
    }
    for (Path p : paths) {
      UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(p, users.lookupPrincipalByName(UNPRIVILEGED_USER));
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Binaries and throw-away data directories: per user, under the system temp directory. */
  private static Path cacheRoot() {
    return Path.of(
        System.getProperty("java.io.tmpdir"), "critpath-" + System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for the embedded PostgreSQL");
    }
  }
}
