package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.io.OutputPaths;
import dev.critpath.seed.ConsoleProgress;
import dev.critpath.seed.PgbenchBaseline;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.SeedReport;
import dev.critpath.seed.SeedStage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "seed",
    mixinStandardHelpOptions = true,
    description = {
      "Load the reference dataset: deterministic (same profile and seed, same rows), skewed like",
      "a real app (Zipf conversations and users, recent-biased timestamps, planted search terms,",
      "users with thousands unread, mixed voucher states), streamed with binary COPY on several",
      "connections, indexes rebuilt after the load, then VACUUM ANALYZE.",
      "",
      "Profiles: tiny (tests), seed001 (50 businesses, 500 users, 5,000 conversations, 50,000",
      "messages), small (default: 10,000 users and conversations, 120,000 messages, 10k campaign",
      "targets), large (1M messages, 100,000 conversations, 5,000 vouchers per campaign),",
      "xlarge (10M messages).",
      "",
      "Replaces the previous critpath rows only (ids in critpath's ranges and rows that reference",
      "them); refuses databases without the critpath marker unless --allow-unmarked. Writes",
      "DIR/seed-summary.json and records the dataset and its fingerprint in critpath.marker."
    })
final class SeedCommand implements Callable<Integer> {
  static final Path DEFAULT_OUT = Path.of("results");

  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "small",
      description = "tiny, seed001, small, large or xlarge (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Random seed; the same profile and seed give the same data (default: 42).")
  long seed;

  @Option(
      names = "--scale",
      paramLabel = "FACTOR",
      defaultValue = "1",
      description = "Multiply the profile's counts, e.g. 0.5 or 3 (default: 1).")
  double scale;

  @Option(
      names = "--anchor",
      paramLabel = "DATE",
      description =
          "The data's \"now\" (2025-06-01 or 2025-06-01T12:00:00Z): messages span the 90 days"
              + " before it. Default: today 00:00 UTC.")
  String anchor;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "2",
      description = "Parallel connections for COPY streams and index builds (default: 2).")
  int jobs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where seed-summary.json goes (default: results).")
  Path out;

  @Option(
      names = "--pgbench",
      paramLabel = "SCALE",
      description =
          "Also run pgbench -i -s SCALE on the same server (scratch database, before and after"
              + " the seed) and print its rows/s beside the messages table's, with the ratio.")
  Integer pgbenchScale;

  @Override
  public Integer call() {
    SeedOptions options =
        SeedOptions.of(Profile.parse(profile))
            .withSeed(seed)
            .withScale(scale)
            .withAnchor(parseAnchor(anchor))
            .withJobs(jobs)
            .withAllowUnmarked(database.allowUnmarked);
    options.plan(); // a bad --scale fails here, before any connection
    PrintWriter stdout = spec.commandLine().getOut();
    OutputPaths.checkWritable(out == null ? DEFAULT_OUT : out, "--out");
    try (Database db = database.open()) {
      stdout.println(DatabaseOptions.using(db));
      PgbenchBaseline.Result before = pgbenchScale == null ? null : pgbench(db, stdout);
      SeedReport report =
          SeedStage.seed(
              db,
              options.withListener(ConsoleProgress.toStderr()),
              out == null ? DEFAULT_OUT : out,
              stdout);
      if (pgbenchScale != null) {
        PgbenchBaseline.Result after = pgbench(db, stdout);
        printComparison(
            report, before.rowsPerSecond() >= after.rowsPerSecond() ? before : after, stdout);
      }
      return ExitCode.OK.code;
    }
  }

  private PgbenchBaseline.Result pgbench(Database db, PrintWriter stdout) {
    PgbenchBaseline.Result r = PgbenchBaseline.run(db, pgbenchScale);
    stdout.printf(
        Locale.ROOT,
        "pgbench -i -s %d: %,d rows, client-side generate %.2f s (%,d rows/s), done in %.2f s%n",
        r.scale(),
        r.rows(),
        r.generateSeconds(),
        (long) r.rowsPerSecond(),
        r.totalSeconds());
    stdout.flush();
    return r;
  }

  private static void printComparison(
      SeedReport report, PgbenchBaseline.Result best, PrintWriter stdout) {
    SeedReport.TableStat messages =
        report.tables().stream()
            .filter(t -> t.table().equals("messages"))
            .findFirst()
            .orElseThrow();
    stdout.printf(
        Locale.ROOT,
        "seed vs pgbench: pgbench -i %,d rows/s (best of 2) | critpath messages %,d rows/s"
            + " (%,d rows in %.2f s, %d COPY stream(s)) | ratio %.2f%n",
        (long) best.rowsPerSecond(),
        (long) messages.rowsPerSecond(),
        messages.rows(),
        messages.seconds(),
        messages.streams(),
        messages.rowsPerSecond() / best.rowsPerSecond());
    SeedReport.TableStat receipts =
        report.tables().stream()
            .filter(t -> t.table().equals("message_read_receipts"))
            .findFirst()
            .orElseThrow();
    stdout.printf(
        Locale.ROOT,
        "seed vs pgbench: narrow rows like pgbench's: critpath message_read_receipts %,d rows/s"
            + " (%,d rows in %.2f s) | ratio %.2f%n",
        (long) receipts.rowsPerSecond(),
        receipts.rows(),
        receipts.seconds(),
        receipts.rowsPerSecond() / best.rowsPerSecond());
    stdout.printf(
        Locale.ROOT,
        "seed vs pgbench: critpath %s profile %,d rows seeded, indexed and analyzed in %.1f s"
            + " (%,d rows/s overall) | pgbench -i done in %.2f s%n",
        report.profile(),
        report.rows(),
        report.seconds(),
        (long) (report.rows() / report.seconds()),
        best.totalSeconds());
    stdout.flush();
  }

  static Instant parseAnchor(String text) {
    if (text == null) {
      return null;
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--anchor '"
              + text
              + "' is not a date (2025-06-01) or an instant (2025-06-01T12:00:00Z)");
    }
  }
}
