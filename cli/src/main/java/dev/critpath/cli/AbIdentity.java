package dev.critpath.cli;

import dev.critpath.BuildInfo;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.explain.CapturedPlan;
import dev.critpath.explain.ExplainResult;
import dev.critpath.explain.ExplainRunner;
import dev.critpath.explain.PlanFacts;
import dev.critpath.explain.QueryExplain;
import dev.critpath.run.PairedRounds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What one side of an A/B run is: its schema and queries (hashed) and its plans. */
final class AbIdentity {
  private static final String BUILTIN = "builtin";

  private AbIdentity() {}

  static PairedRounds.SideIdentity of(
      Database db,
      Path schema,
      String version,
      List<String> queries,
      QueryCatalog catalog,
      List<String> paths,
      long seed) {
    return new PairedRounds.SideIdentity(
        schema == null ? BUILTIN : schema.toString(),
        schema == null ? BUILTIN + "@" + BuildInfo.critpathVersion() : hashDirectory(schema),
        version,
        queries,
        hashCatalog(catalog),
        plans(db, catalog, paths, seed),
        AbDatabases.indexes(db));
  }

  /** The hot plan of every catalog path, captured once (Java paths have no SQL of their own). */
  private static Map<String, PairedRounds.PlanSummary> plans(
      Database db, QueryCatalog catalog, List<String> paths, long seed) {
    List<String> sql = paths.stream().filter(p -> catalog.find(p).isPresent()).toList();
    Map<String, PairedRounds.PlanSummary> out = new LinkedHashMap<>();
    ExplainResult result;
    try {
      result =
          ExplainRunner.run(
              db,
              catalog,
              new ExplainRunner.Options(sql, db.statementTimeout(), seed, false, false),
              null,
              new PrintWriter(Writer.nullWriter()));
    } catch (SQLException e) {
      sql.forEach(
          p ->
              out.put(
                  p,
                  new PairedRounds.PlanSummary(
                      null, null, List.of(), null, "explain failed: " + e.getMessage())));
      return out;
    }
    for (QueryExplain q : result.queries()) {
      if (q.error() != null || q.plans() == null || q.plans().isEmpty()) {
        out.put(
            q.name(),
            new PairedRounds.PlanSummary(
                null, null, List.of(), null, q.error() == null ? "no plan captured" : q.error()));
        continue;
      }
      CapturedPlan hot = q.plans().get(0);
      PlanFacts facts = hot.analysis().facts();
      out.put(
          q.name(),
          new PairedRounds.PlanSummary(
              hot.analysis().fingerprint(),
              hot.analysis().shape(),
              facts.indexesUsed().stream().map(PlanFacts.IndexUse::index).distinct().toList(),
              facts.sharedBuffers(),
              null));
    }
    return out;
  }

  /** SHA-256 over the sorted relative file names and contents. */
  static String hashDirectory(Path dir) {
    MessageDigest digest = sha256();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        digest.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Files.readAllBytes(f));
        digest.update((byte) 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  /** SHA-256 over every query's name and SQL as parsed (the reference catalog included). */
  static String hashCatalog(QueryCatalog catalog) {
    MessageDigest digest = sha256();
    for (CatalogQuery q : catalog.queries()) {
      digest.update((q.name() + "\0" + q.sql() + "\0").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
