package dev.critpath.report.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.run.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a run directory (run.json, jmh.json, explain/*.json) with replicates drawn from known
 * distributions, for comparison tests: each query's per-iteration scores are {@code median *
 * exp(N(0, forkNoise)) * exp(N(0, noise))}, a per-fork offset plus per-iteration noise, as JVM
 * forks behave.
 */
public final class SyntheticRun {
  private final String runId;
  private String fingerprint = "ds-1";
  private final List<Query> queries = new ArrayList<>();
  private final List<String> indexes =
      new ArrayList<>(List.of("public.messages_conversation_created_idx"));
  private int schemaVersion = RunRecord.SCHEMA_VERSION;
  private String migrationsVersion = "7";
  private String migrationsChecksum = "a1b2c3d4e5f60718";
  private String critpathVersion = "0.1.0-SNAPSHOT";

  private SyntheticRun(String runId) {
    this.runId = runId;
  }

  public static SyntheticRun named(String runId) {
    return new SyntheticRun(runId);
  }

  /** One query's benchmark configuration. */
  public static final class Query {
    final String name;
    String mode = "avgt";
    int threads = 1;
    double median = 1.0;
    double noise = 0.05;
    double forkNoise = 0.02;
    int forks = 1;
    int iterations = 10;
    Double buffers;
    Double rows;
    String plan;
    String failure;

    Query(String name) {
      this.name = name;
    }

    /** Median score: ms/op for time modes, ops/s for thrpt. */
    public Query median(double v) {
      median = v;
      return this;
    }

    public Query mode(String m) {
      mode = m;
      return this;
    }

    public Query threads(int t) {
      threads = t;
      return this;
    }

    /** Coefficient of variation per iteration and per fork. */
    public Query noise(double iteration, double fork) {
      noise = iteration;
      forkNoise = fork;
      return this;
    }

    public Query replicates(int forkCount, int iterationCount) {
      forks = forkCount;
      iterations = iterationCount;
      return this;
    }

    /** Shared buffers and rows per call, as pg_stat_statements would report them. */
    public Query counters(double buffersPerCall, double rowsPerCall) {
      buffers = buffersPerCall;
      rows = rowsPerCall;
      return this;
    }

    /** The benchmark could not run it: no JMH result, status failed. */
    public Query failed(String reason) {
      failure = reason;
      return this;
    }

    /** A raw EXPLAIN file from src/test/resources/runs. */
    public Query plan(String resource) {
      plan = resource;
      return this;
    }
  }

  public SyntheticRun fingerprint(String f) {
    fingerprint = f;
    return this;
  }

  /** The applied migrations the environment records (version and checksum). */
  public SyntheticRun migrations(String version, String checksum) {
    migrationsVersion = version;
    migrationsChecksum = checksum;
    return this;
  }

  /** The critpath version the environment records. */
  public SyntheticRun critpathVersion(String v) {
    critpathVersion = v;
    return this;
  }

  public SyntheticRun schemaVersion(int v) {
    schemaVersion = v;
    return this;
  }

  public SyntheticRun withoutIndex(String qualified) {
    indexes.remove(qualified);
    return this;
  }

  public Query query(String name) {
    Query q = new Query(name);
    queries.add(q);
    return q;
  }

  /** Writes the run into {@code dir} with replicates drawn from {@code random}. */
  public Path write(Path dir, Random random) throws IOException {
    Files.createDirectories(dir.resolve("explain"));
    ArrayNode jmh = Json.mapper().createArrayNode();
    ObjectNode run = Json.mapper().createObjectNode();
    run.put("schemaVersion", schemaVersion);
    run.put("runId", runId);
    run.put("startedAt", "2026-11-22T12:00:00Z");
    run.put("finishedAt", "2026-11-22T12:05:00Z");
    run.put("completed", true);
    run.put("verdict", "pass");
    ObjectNode sections = run.putObject("sections");
    ObjectNode env = sections.putObject("environment");
    ObjectNode pg = env.putObject("postgres");
    pg.put("version", "PostgreSQL 17.5");
    ObjectNode idx = pg.putObject("indexes");
    indexes.forEach(i -> idx.put(i, "CREATE INDEX ..."));
    env.putObject("host").put("cores", 2);
    env.putObject("critpath").put("version", critpathVersion);
    env.putObject("schema")
        .put("version", migrationsVersion)
        .put("checksum", migrationsChecksum)
        .put("migrations", 7);
    ObjectNode ds = sections.putObject("dataset");
    ds.put("profile", "tiny");
    ds.put("seed", 1);
    ds.put("fingerprint", fingerprint);
    ArrayNode benchQueries = sections.putObject("bench").putArray("queries");
    ArrayNode explainQueries = sections.putObject("explain").putArray("queries");
    Set<String> described = new HashSet<>();
    for (Query q : queries) {
      if (q.failure != null) {
        benchQueries
            .addObject()
            .put("name", q.name)
            .put("status", "failed")
            .put("reason", q.failure);
        continue;
      }
      ObjectNode entry = jmh.addObject();
      entry.put("benchmark", "dev.critpath.bench.CatalogBenchmark.call");
      entry.put("mode", q.mode);
      entry.put("threads", q.threads);
      entry.put("forks", q.forks);
      entry.putObject("params").put("query", q.name).put("variant", "rls_on");
      ObjectNode metric = entry.putObject("primaryMetric");
      metric.put("scoreUnit", q.mode.equals("thrpt") ? "ops/s" : "ms/op");
      ArrayNode raw = metric.putArray("rawData");
      double sum = 0;
      int n = 0;
      for (int f = 0; f < q.forks; f++) {
        double forkFactor = Math.exp(random.nextGaussian() * q.forkNoise);
        ArrayNode fork = raw.addArray();
        for (int i = 0; i < q.iterations; i++) {
          double v = q.median * forkFactor * Math.exp(random.nextGaussian() * q.noise);
          fork.add(v);
          sum += v;
          n++;
        }
      }
      metric.put("score", sum / n);
      metric.put("scoreError", "NaN");
      if (!described.add(q.name)) {
        continue; // another configuration (mode, threads) of a query already described
      }
      ObjectNode b = benchQueries.addObject();
      b.put("name", q.name);
      b.put("status", "ok");
      ObjectNode variant = b.putArray("variants").addObject();
      variant.put("variant", "rls_on");
      variant.put("status", "ok");
      if (q.buffers != null) {
        ObjectNode server = variant.putObject("server");
        server.put("calls", 1000);
        server.put("sharedBlksHitPerCall", q.buffers);
        server.put("sharedBlksReadPerCall", 0.0);
        server.put("rowsPerCall", q.rows);
      }
      if (q.plan != null) {
        String file = "explain/" + q.name + ".hot.json";
        Files.copy(
            Path.of("src/test/resources/runs").resolve(q.plan),
            dir.resolve(file),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ObjectNode e = explainQueries.addObject();
        e.put("name", q.name);
        e.putArray("plans").addObject().put("variant", "hot").put("file", file);
      }
    }
    Json.writeFile(dir.resolve("jmh.json"), jmh);
    Json.writeFile(dir.resolve("run.json"), run);
    return dir;
  }
}
