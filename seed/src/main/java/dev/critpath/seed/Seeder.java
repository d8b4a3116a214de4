package dev.critpath.seed;

import dev.critpath.UserError;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.dataset.Ids;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import dev.critpath.db.SqlState;
import dev.critpath.schema.DatabaseMarker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the reference schema: cleans out the previous critpath rows (and only those), drops the
 * secondary indexes, streams every table through binary COPY on several connections in foreign-key
 * order, rebuilds the indexes, runs VACUUM ANALYZE, checks that the indexes are exactly what they
 * were, and only then records the dataset in {@code critpath.marker}. Until that last step the
 * marker says no dataset is loaded; if anything fails the critpath rows are removed again.
 *
 * <pre>{@code
 * SeedReport report = Seeder.seed(db, SeedOptions.of(Profile.SMALL).withSeed(7));
 * report.write(Path.of("results"));
 * }</pre>
 */
public final class Seeder {
  /**
   * Bumped whenever generated data changes for the same profile and seed: part of the fingerprint.
   */
  public static final String GENERATOR_VERSION = "1";

  /** Tables with more planned rows than this are split over all jobs. */
  static final long SPLIT_ROWS = 50_000;

  /** Units (messages, users, ...) per interleaved chunk of a split table. */
  static final int CHUNK_UNITS = 8_192;

  private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

  private final Database db;
  private final SeedOptions options;
  private final SeedListener listener;
  private final Plan plan;
  private final Map<SeedTable, TableProgress> progress = new EnumMap<>(SeedTable.class);
  private final Map<String, SeedReport.IndexStat> indexStats = new ConcurrentHashMap<>();
  private final Map<SeedTable, Double> analyzeSeconds = new ConcurrentHashMap<>();
  private volatile boolean foreignKeyChecks;

  private Seeder(Database db, SeedOptions options) {
    this.db = db;
    this.options = options;
    this.listener = options.listener();
    this.plan = options.plan();
  }

  /**
   * Seeds {@code db}. Throws {@link UserError} (the CLI exits 2) when the database has no critpath
   * schema, carries no marker (unless allowed), or the load fails; in the last case the critpath
   * rows are removed again and the marker says no dataset is loaded.
   */
  public static SeedReport seed(Database db, SeedOptions options) {
    return new Seeder(db, options).run();
  }

  /** The dataset the marker records, if a seed completed. */
  public static java.util.Optional<SeededDataset> loaded(Database db) {
    try (Connection c = db.connect()) {
      return SeededDataset.read(c);
    } catch (SQLException e) {
      throw new UserError(
          "cannot read the dataset marker of " + db.spec().display() + ": " + e.getMessage(), e);
    }
  }

  private static final class TableProgress {
    final AtomicLong rows = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    volatile long startNanos;
    volatile long endNanos;
    int streamsRunning;
    int parts;
  }

  private SeedReport run() {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    try (Connection control = db.connect()) {
      prepare(control, false);
      DatabaseMarker.requireWritable(db, "seed", options.allowUnmarked());
      requireSchema(control);
      requirePrivileges(control);
      boolean marked = hasMarker(control);
      if (marked) {
        clearMarker(control);
      }
      IndexManager.ensurePendingTable(control);
      List<IndexManager.Dropped> interrupted = IndexManager.pending(control);
      if (!interrupted.isEmpty()) {
        listener.step("rebuilding " + interrupted.size() + " indexes an interrupted seed dropped");
        IndexManager.restoreAll(control);
      }
      Set<String> indexesBefore = IndexManager.snapshot(control);

      listener.step(
          "planning "
              + options.profile()
              + (options.scale() == 1.0 ? "" : " x" + options.scale())
              + " (seed "
              + options.seed()
              + ", anchor "
              + options.anchor()
              + ")");
      DataModel model = new DataModel(plan, options.seed(), options.anchor());
      // The pass over the message stream runs while the database cleans up.
      CompletableFuture<ConversationStats> planned =
          CompletableFuture.supplyAsync(() -> ConversationStats.compute(model, options.jobs()));
      ConversationStats stats;
      double cleanupSeconds;
      double loadSeconds;
      try {
        long tc = System.nanoTime();
        listener.step("removing the previous critpath rows");
        Cleaner.Result cleaned = Cleaner.clean(control);
        LOG.debug("cleanup: truncated {}, deleted from {}", cleaned.truncated(), cleaned.deleted());
        cleanupSeconds = (System.nanoTime() - tc) / 1e9;
        List<IndexManager.Dropped> dropped = IndexManager.droppable(control);
        IndexManager.drop(control, dropped);
        LOG.debug("dropped for the load: {}", dropped);

        SearchVectors searchVectors = SearchVectors.analyse(control, model.text());
        stats = join(planned);
        long tl = System.nanoTime();
        load(new Rows(model, stats, searchVectors), dropped);
        loadSeconds = (System.nanoTime() - tl) / 1e9;
        SearchVectors.verify(control, plan.messages());

        Set<String> indexesAfter = IndexManager.snapshot(control);
        if (!indexesAfter.equals(indexesBefore)) {
          throw new IllegalStateException(
              "the indexes differ from before the seed: "
                  + difference(indexesBefore, indexesAfter));
        }
      } catch (Exception e) {
        throw failed(e);
      }
      Map<String, Long> rowCounts = new LinkedHashMap<>();
      for (SeedTable t : SeedTable.values()) {
        rowCounts.put(t.sqlName(), progress.get(t).rows.get());
      }
      String fingerprint = fingerprint(rowCounts);
      DatasetSummary summary =
          new DatasetSummary(
              options.profile().id(),
              options.seed(),
              fingerprint,
              Instant.now(),
              rowCounts,
              entities(model),
              model.text().searchTerms());
      SeededDataset dataset =
          new SeededDataset(summary, options.scale(), options.anchor(), GENERATOR_VERSION);
      if (marked) {
        recordInMarker(control, dataset);
      } else {
        LOG.warn(
            "no critpath.marker in {}: the dataset is not recorded there", db.spec().display());
      }
      return report(control, startedAt, t0, cleanupSeconds, loadSeconds, model, stats, summary);
    } catch (SQLException e) {
      throw new UserError("seed failed on " + db.spec().display() + ": " + firstLine(e), e);
    } finally {
      listener.finished();
    }
  }

  // ------------------------------------------------------------------ load

  /**
   * The load as a task graph. Per table: its outgoing foreign keys (empty table: no scan), the COPY
   * streams, the keys other tables reference and the triggers, VACUUM ANALYZE (while no secondary
   * index exists, so the heap is hinted and all-visible once and no index needs a cleanup scan),
   * then the secondary indexes. Lock conflicts decide the edges: a foreign key locks both tables
   * against COPY, VACUUM and index builds.
   */
  private void load(Rows rows, List<IndexManager.Dropped> dropped) throws Exception {
    TaskRunner runner = new TaskRunner();
    Map<SeedTable, List<TaskRunner.Task>> copies = new EnumMap<>(SeedTable.class);
    Map<SeedTable, List<TaskRunner.Task>> beforeCopy = new EnumMap<>(SeedTable.class);
    Map<SeedTable, List<TaskRunner.Task>> beforeAnalyze = new EnumMap<>(SeedTable.class);
    Map<String, String> indexTables = new HashMap<>();
    Set<String> referencedKeys = new HashSet<>();
    for (IndexManager.Dropped d : dropped) {
      if (d.kind() == IndexManager.Kind.INDEX) {
        indexTables.put(d.name(), d.table());
      } else if (d.kind() == IndexManager.Kind.FOREIGN_KEY) {
        referencedKeys.add(d.references());
      }
    }
    for (SeedTable table : SeedTable.values()) {
      beforeCopy.put(table, new ArrayList<>());
      beforeAnalyze.put(table, new ArrayList<>());
    }
    for (SeedTable table : SeedTable.values()) { // parents first
      Rows.Source source = rows.source(table);
      int parts = source.plannedRows() >= SPLIT_ROWS ? options.jobs() : 1;
      TableProgress p = new TableProgress();
      p.parts = parts;
      progress.put(table, p);
      AtomicLong nextChunk = new AtomicLong();
      List<TaskRunner.Task> tasks = new ArrayList<>();
      for (int part = 0; part < parts; part++) {
        TaskRunner.Task task =
            runner.add(
                "copy " + table.sqlName() + " " + (part + 1) + "/" + parts,
                copyCost(table) * source.plannedRows() / parts,
                c -> copy(c, table, source, nextChunk));
        for (SeedTable.ForeignKey fk : table.foreignKeys()) {
          task.afterAll(copies.get(fk.parentTable()));
        }
        task.afterAll(beforeCopy.get(table));
        tasks.add(task);
      }
      copies.put(table, tasks);
      beforeAnalyze.get(table).addAll(tasks);
      List<TaskRunner.Task> keys = new ArrayList<>();
      for (IndexManager.Dropped d : dropped) {
        if (d.table().equals(table.sqlName())
            && d.kind() == IndexManager.Kind.INDEX
            && referencedKeys.contains(d.name())) {
          keys.add(rebuildTask(runner, d, table, rows).afterAll(tasks));
        }
      }
      beforeAnalyze.get(table).addAll(keys);
      for (IndexManager.Dropped d : dropped) {
        if (d.table().equals(table.sqlName()) && d.kind() == IndexManager.Kind.TRIGGER) {
          // After the keys: CREATE TRIGGER would wait for their ACCESS EXCLUSIVE lock.
          beforeAnalyze
              .get(table)
              .add(rebuildTask(runner, d, table, rows).afterAll(tasks).afterAll(keys));
        }
      }
      for (IndexManager.Dropped fk : dropped) {
        if (fk.kind() == IndexManager.Kind.FOREIGN_KEY
            && table.sqlName().equals(indexTables.get(fk.references()))) {
          SeedTable child = SeedTable.named(fk.table());
          TaskRunner.Task add =
              rebuildTask(runner, fk, child, rows).afterAll(beforeAnalyze.get(table));
          beforeCopy.get(child).add(add);
          beforeAnalyze.get(table).add(add);
        }
      }
    }
    for (SeedTable table : SeedTable.values()) {
      TaskRunner.Task analyzed =
          runner
              .add(
                  "vacuum analyze " + table.sqlName(),
                  ANALYZE_MICROS_PER_ROW * rows.plannedRows(table),
                  c -> analyze(c, table))
              .afterAll(beforeAnalyze.get(table));
      for (IndexManager.Dropped d : dropped) {
        if (d.table().equals(table.sqlName())
            && d.kind() == IndexManager.Kind.INDEX
            && !referencedKeys.contains(d.name())) {
          rebuildTask(runner, d, table, rows).after(analyzed);
        }
      }
    }
    runner.run(options.jobs(), this::openWorker);
  }

  private TaskRunner.Task rebuildTask(
      TaskRunner runner, IndexManager.Dropped d, SeedTable table, Rows rows) {
    return runner.add(
        d.toString(), rebuildCost(d) * rows.plannedRows(table), c -> rebuild(c, table, d));
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  /** Rough per-row costs (microseconds) that only rank tasks for the scheduler. */
  private static double copyCost(SeedTable table) {
    switch (table) {
      case MESSAGES:
        return 8;
      case CONVERSATIONS:
        return 5;
      default:
        return 2;
    }
  }

  private static double rebuildCost(IndexManager.Dropped d) {
    if (d.kind() != IndexManager.Kind.INDEX) {
      return 0; // a trigger, or a foreign key added while its table is empty
    }
    if (d.restoreSql().contains("gin_trgm_ops")) {
      return 8;
    }
    if (d.restoreSql().contains("USING gin")) {
      return 2;
    }
    return 1.5;
  }

  private static final double ANALYZE_MICROS_PER_ROW = 1;

  /**
   * One COPY stream of a table: its streams take chunks of units in turn from {@code nextChunk}, so
   * a stream that starts late (its worker was busy) takes fewer and none waits for another.
   */
  private void copy(Connection c, SeedTable table, Rows.Source source, AtomicLong nextChunk)
      throws SQLException {
    long units = source.units();
    TableProgress p = progress.get(table);
    long chunk;
    // Taking the first chunk and counting the stream as running is one step: the last stream to
    // finish is then the one that sees no other running.
    synchronized (p) {
      chunk = nextChunk.getAndIncrement();
      if (chunk * CHUNK_UNITS >= units && units > 0) {
        return; // the other streams took every chunk before this one got a worker
      }
      if (p.startNanos == 0) {
        p.startNanos = System.nanoTime();
        listener.tableStarted(table.sqlName(), source.plannedRows());
      }
      p.streamsRunning++;
    }
    CopyManager api = c.unwrap(PGConnection.class).getCopyAPI();
    CopyIn in = api.copyIn(table.copySql());
    String name = table.sqlName();
    byte[] scratch = new byte[4096];
    try {
      CopyWriter w =
          new CopyWriter(
              in,
              n -> {
                p.rows.addAndGet(n);
                listener.rows(name, n);
              });
      for (; chunk * CHUNK_UNITS < units; chunk = nextChunk.getAndIncrement()) {
        long from = chunk * CHUNK_UNITS + 1;
        long to = Math.min(units, (chunk + 1) * CHUNK_UNITS);
        for (long u = from; u <= to; u++) {
          source.emit(u, w, scratch);
        }
      }
      long counted = w.finish();
      if (counted != w.rows()) {
        throw new IllegalStateException(
            "COPY " + name + " stored " + counted + " rows, " + w.rows() + " were sent");
      }
      p.bytes.addAndGet(w.bytes());
    } catch (SQLException | RuntimeException e) {
      if (in.isActive()) {
        try {
          in.cancelCopy();
        } catch (SQLException ignored) {
          // the original failure is what matters
        }
      }
      throw e;
    }
    // Every chunk is taken: the table is loaded once the streams still writing are done.
    synchronized (p) {
      if (--p.streamsRunning == 0) {
        p.endNanos = System.nanoTime();
        listener.tableLoaded(name, p.rows.get(), Duration.ofNanos(p.endNanos - p.startNanos));
      }
    }
  }

  private void rebuild(Connection c, SeedTable table, IndexManager.Dropped d) throws SQLException {
    boolean index = d.kind() == IndexManager.Kind.INDEX;
    if (index) {
      listener.indexStarted(table.sqlName(), d.name());
    }
    long t = System.nanoTime();
    IndexManager.restore(c, d);
    Duration took = Duration.ofNanos(System.nanoTime() - t);
    if (!index) { // a trigger or a foreign key on an empty table: instant, not worth a line
      LOG.debug("{} on {} restored in {} ms", d, table.sqlName(), took.toMillis());
      return;
    }
    indexStats.put(
        d.name(), new SeedReport.IndexStat(table.sqlName(), d.name(), round(took.toNanos() / 1e9)));
    listener.indexBuilt(table.sqlName(), d.name(), took);
  }

  private void analyze(Connection c, SeedTable table) throws SQLException {
    listener.analyzeStarted(table.sqlName());
    long t = System.nanoTime();
    try (Statement st = c.createStatement()) {
      st.execute("VACUUM (ANALYZE) public." + table.sqlName());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t);
    analyzeSeconds.put(table, took.toNanos() / 1e9);
    listener.analyzed(table.sqlName(), took);
  }

  private Connection openWorker() throws SQLException {
    Connection c = db.connect();
    try {
      prepare(c, true);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Session settings: bulk statements run longer than --statement-timeout allows, a stuck lock
   * still fails; COPY connections skip foreign-key triggers when the role may (the rows are
   * consistent by construction, as pg_restore --disable-triggers assumes).
   */
  private void prepare(Connection c, boolean loader) throws SQLException {
    if (db.pooler().mode() == Pooler.Mode.TRANSACTION) {
      // A session setting would stay on a backend other clients share, and the next statement
      // may run on another one: load under the server's own settings, foreign keys checked.
      foreignKeyChecks |= loader;
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET statement_timeout = 0");
      st.execute("SET lock_timeout = " + Math.max(1, db.statementTimeout().toMillis()));
      st.execute("SET synchronous_commit = off");
      if (loader) {
        try {
          st.execute("SET session_replication_role = replica");
        } catch (SQLException e) {
          if (!SqlState.INSUFFICIENT_PRIVILEGE.is(e)) {
            throw e;
          }
          foreignKeyChecks = true;
        }
      }
    }
  }

  // ------------------------------------------------------------------ checks and marker

  private void requireSchema(Connection c) throws SQLException {
    List<String> missing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      for (SeedTable t : SeedTable.values()) {
        ps.setString(1, "public." + t.sqlName());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            missing.add(t.sqlName());
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError(
          "database "
              + db.spec().display()
              + " has no critpath schema (missing table"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing)
              + "): run ./run.sh migrate first");
    }
    // Before schema V5, messages.search was a generated column that COPY may not fill.
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT attgenerated <> '' FROM pg_attribute"
                    + " WHERE attrelid = 'public.messages'::regclass AND attname = 'search'");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next() && rs.getBoolean(1)) {
        throw new UserError(
            "database "
                + db.spec().display()
                + " has an older critpath schema (messages.search is still a generated column):"
                + " run ./run.sh migrate first");
      }
    }
  }

  /**
   * Seeding truncates, drops and re-creates indexes: it needs to own the tables and to create in
   * schema public. Checked before anything is touched, so a weaker role fails cleanly.
   */
  private void requirePrivileges(Connection c) throws SQLException {
    List<String> notOwned = new ArrayList<>();
    boolean create;
    try (Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT k.relname FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                  + " WHERE n.nspname = 'public' AND k.relname IN ("
                  + java.util.Arrays.stream(SeedTable.values())
                      .map(t -> "'" + t.sqlName() + "'")
                      .collect(java.util.stream.Collectors.joining(", "))
                  + ") AND NOT pg_has_role(k.relowner, 'USAGE') ORDER BY 1")) {
        while (rs.next()) {
          notOwned.add(rs.getString(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT has_schema_privilege('public', 'CREATE')")) {
        rs.next();
        create = rs.getBoolean(1);
      }
    }
    if (!notOwned.isEmpty() || !create) {
      throw new UserError(
          "user \""
              + db.spec().user()
              + "\" cannot seed "
              + db.spec().display()
              + ": seeding truncates the tables and rebuilds their indexes, so it must own them"
              + (notOwned.isEmpty() ? "" : " (not owned: " + String.join(", ", notOwned) + ")")
              + (create ? "" : " and may CREATE in schema public")
              + ". Connect as the user that ran migrate");
    }
  }

  private static boolean hasMarker(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('critpath.marker') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** From here until the load completes, the marker says: no complete dataset. */
  private static void clearMarker(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE critpath.marker SET dataset_profile = NULL, dataset_seed = NULL,"
              + " dataset_fingerprint = NULL, dataset_summary = NULL, seeded_at = NULL");
    }
  }

  private static void recordInMarker(Connection c, SeededDataset dataset) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE critpath.marker SET dataset_profile = ?, dataset_seed = ?,"
                + " dataset_fingerprint = ?, dataset_summary = ?::jsonb, seeded_at = ?")) {
      ps.setString(1, dataset.summary().profile());
      ps.setLong(2, dataset.summary().seed());
      ps.setString(3, dataset.summary().fingerprint());
      ps.setString(4, dataset.toJson());
      ps.setObject(
          5,
          java.time.OffsetDateTime.ofInstant(
              dataset.summary().seededAt(), java.time.ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  /**
   * Cleans up after a failed load (critpath rows out, dropped indexes back) on a fresh connection,
   * and says what happened in one line.
   */
  private UserError failed(Exception cause) {
    String what = describe(cause);
    String state;
    try (Connection c = db.connect()) {
      prepare(c, false);
      Cleaner.clean(c);
      IndexManager.restoreAll(c);
      state = "the critpath rows were removed again and no dataset is recorded";
    } catch (SQLException | RuntimeException cleanup) {
      cause.addSuppressed(cleanup);
      state =
          "cleaning up failed too ("
              + firstLine(cleanup)
              + "); the marker records no dataset, and the next seed replaces what is left";
    }
    return new UserError("seed failed: " + what + "; " + state, cause);
  }

  private String describe(Throwable e) {
    SQLException sql = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        sql = (SQLException) t;
        break;
      }
    }
    if (SqlState.DISK_FULL.is(sql)) {
      return "the database server ran out of disk space (" + firstLine(sql) + "): free space";
    }
    if (sql != null && SqlState.isConnectionLoss(sql)) {
      return "lost the connection to " + db.spec().display() + " (" + firstLine(sql) + ")";
    }
    if (SqlState.INSUFFICIENT_PRIVILEGE.is(sql)) {
      return firstLine(sql)
          + ": seeding drops and rebuilds indexes, so connect as the owner of the tables"
          + " (the user that ran migrate)";
    }
    return firstLine(e);
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.strip().lines().findFirst().orElse(m);
  }

  private static String difference(Set<String> before, Set<String> after) {
    Set<String> gone = new java.util.TreeSet<>(before);
    gone.removeAll(after);
    Set<String> added = new java.util.TreeSet<>(after);
    added.removeAll(before);
    return "missing " + gone + ", unexpected " + added;
  }

  // ------------------------------------------------------------------ summary

  private String fingerprint(Map<String, Long> rowCounts) {
    StringBuilder s = new StringBuilder("critpath-seed generator=").append(GENERATOR_VERSION);
    s.append("\nprofile=").append(options.profile().id());
    s.append("\nscale=").append(options.scale());
    s.append("\nseed=").append(options.seed());
    s.append("\nplan=").append(plan);
    new TreeMap<>(rowCounts).forEach((k, v) -> s.append('\n').append(k).append('=').append(v));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<Ids.Entity, Long> entities(DataModel model) {
    Map<Ids.Entity, Long> e = new EnumMap<>(Ids.Entity.class);
    e.put(Ids.Entity.USER, (long) plan.users());
    e.put(Ids.Entity.BUSINESS, (long) plan.businesses());
    e.put(Ids.Entity.CONVERSATION, (long) plan.conversations());
    e.put(Ids.Entity.MESSAGE, plan.messages());
    e.put(Ids.Entity.CAMPAIGN, (long) plan.campaigns());
    e.put(Ids.Entity.STATION, (long) plan.stations());
    e.put(Ids.Entity.VOUCHER, plan.vouchers());
    e.put(Ids.Entity.CAMPAIGN_TARGET, plan.campaignTargets());
    e.put(Ids.Entity.ATTACHMENT, model.attachmentCount());
    return e;
  }

  private SeedReport report(
      Connection c,
      Instant startedAt,
      long t0,
      double cleanupSeconds,
      double loadSeconds,
      DataModel model,
      ConversationStats stats,
      DatasetSummary summary)
      throws SQLException {
    List<SeedReport.TableStat> tables = new ArrayList<>();
    long totalRows = 0;
    long totalBytes = 0;
    double messagesRate = 0;
    try (PreparedStatement size =
        c.prepareStatement("SELECT pg_total_relation_size(to_regclass(?))")) {
      for (SeedTable t : SeedTable.values()) {
        TableProgress p = progress.get(t);
        size.setString(1, "public." + t.sqlName());
        long bytes;
        try (ResultSet rs = size.executeQuery()) {
          rs.next();
          bytes = rs.getLong(1);
        }
        double seconds = (p.endNanos - p.startNanos) / 1e9;
        double rate = seconds > 0 ? p.rows.get() / seconds : 0;
        if (t == SeedTable.MESSAGES) {
          messagesRate = rate;
        }
        totalRows += p.rows.get();
        totalBytes += p.bytes.get();
        tables.add(
            new SeedReport.TableStat(
                t.sqlName(),
                p.rows.get(),
                p.bytes.get(),
                bytes,
                p.parts,
                round(seconds),
                Math.round(rate),
                round(analyzeSeconds.getOrDefault(t, 0.0))));
      }
    }
    List<SeedReport.IndexStat> indexes = new ArrayList<>(new TreeMap<>(indexStats).values());
    Map<String, SeedReport.IdRange> ranges = new LinkedHashMap<>();
    summary
        .entities()
        .forEach(
            (entity, count) ->
                ranges.put(
                    entity.name().toLowerCase(java.util.Locale.ROOT),
                    new SeedReport.IdRange(
                        Ids.text(entity, 1), Ids.text(entity, Math.max(1, count)), count)));
    long[] hot = stats.maxUnreadUser();
    String version;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      version = rs.getString(1);
    }
    return new SeedReport(
        options.profile().id(),
        options.scale(),
        options.seed(),
        options.anchor(),
        summary.fingerprint(),
        GENERATOR_VERSION,
        db.spec().display(),
        version,
        startedAt,
        round((System.nanoTime() - t0) / 1e9),
        round(cleanupSeconds),
        round(loadSeconds),
        options.jobs(),
        foreignKeyChecks,
        totalRows,
        totalBytes,
        Math.round(messagesRate),
        tables,
        indexes,
        ranges,
        summary.searchTerms(),
        new SeedReport.Unread(
            hot[0], hot[0] > 0 ? Ids.text(Ids.Entity.USER, hot[0]) : null, hot[1], hot[2]),
        summary);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
