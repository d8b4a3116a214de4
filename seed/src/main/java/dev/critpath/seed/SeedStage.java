package dev.critpath.seed;

import dev.critpath.db.Database;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The seed stage of the default suite: loads the {@code wanted} dataset unless the (kept) database
 * already holds exactly that one, and puts its summary into the run's dataset section. Nothing
 * after it can run without it.
 */
public record SeedStage(SeedOptions wanted) implements Stage {
  @Override
  public String name() {
    return "seed";
  }

  @Override
  public boolean prerequisite() {
    return true;
  }

  @Override
  public Outcome run(StageContext ctx) {
    Optional<SeededDataset> loaded = Seeder.loaded(ctx.db());
    if (loaded.isPresent()
        && loaded.get().profile() == wanted.profile()
        && loaded.get().summary().seed() == wanted.seed()
        && loaded.get().scale() == wanted.scale()) {
      ctx.run().put(Section.DATASET, loaded.get().summary());
      return Outcome.ok(
          "dataset "
              + wanted.profile().id()
              + " already loaded, fingerprint "
              + loaded.get().summary().fingerprint());
    }
    SeedReport report = seed(ctx.db(), wanted, ctx.run().path(), ctx.out());
    ctx.run()
        .put(Section.DATASET, Seeder.loaded(ctx.db()).map(SeededDataset::summary).orElse(null));
    return Outcome.ok(
        String.format(Locale.ROOT, "%,d rows in %.1f s", report.rows(), report.seconds()));
  }

  /**
   * Seeds and reports: the per-table lines on {@code out}, seed-summary.json in {@code outDir}. The
   * seed command calls this too.
   */
  public static SeedReport seed(Database db, SeedOptions options, Path outDir, PrintWriter out) {
    SeedReport report = Seeder.seed(db, options);
    Path file = report.write(outDir);
    out.printf(
        Locale.ROOT, "%-26s %12s %10s %8s %12s%n", "table", "rows", "MB", "seconds", "rows/s");
    for (SeedReport.TableStat t : report.tables()) {
      out.printf(
          Locale.ROOT,
          "%-26s %,12d %10.1f %8.2f %,12d%n",
          t.table(),
          t.rows(),
          t.sizeBytes() / 1e6,
          t.seconds(),
          (long) t.rowsPerSecond());
    }
    out.printf(
        Locale.ROOT,
        "seed: %s (seed %d) loaded %,d rows in %.1f s (load, indexes and VACUUM ANALYZE %.1f s),"
            + " fingerprint %s%n",
        report.profile(),
        report.seed(),
        report.rows(),
        report.seconds(),
        report.loadSeconds(),
        report.fingerprint());
    out.println("seed: summary written to " + file);
    out.flush();
    return report;
  }
}
