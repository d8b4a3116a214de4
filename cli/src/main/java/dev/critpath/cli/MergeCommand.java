package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.http.HttpResult;
import dev.critpath.http.scenario.Durations;
import dev.critpath.merge.RunMerger;
import dev.critpath.merge.SegmentRuns;
import dev.critpath.report.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Merge the run directories of N segment runs (--segment i/N of http, realtime or bench)",
      "into one run: latency histograms added from their logs (exact percentiles), counters and",
      "throughput summed, http per-second series aligned on wall-clock time, thresholds and",
      "targets (abortOnFail included) judged on the merged data, then report.md, report.html and",
      "junit.xml. Writes",
      "RESULTS/<run-id>/. Exit 1 when a threshold failed, 2 on bad input (nothing written)."
    })
final class MergeCommand implements Callable<Integer> {
  /**
   * How far apart the segments' loads may start. With --start-at they start within the machines'
   * clock error (NTP: milliseconds); without it, as their pods or jobs come up (seconds on a warm
   * cluster, tens on a cold one). 30 s is a tenth of the seeds' shortest test (5 minutes): beyond
   * it the loads overlap too little for the merged per-second rate to be one run's.
   */
  static final String DEFAULT_MAX_SKEW = "30s";

  @Mixin GlobalOptions global;
  @Mixin ResultsOptions results;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RUN", description = "The segment run directories.")
  List<Path> runs;

  @Option(
      names = "--max-skew",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_MAX_SKEW,
      description =
          "Refuse segments whose start times are further apart than this (default:"
              + " ${DEFAULT-VALUE}).")
  String maxSkew;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Duration skew;
    try {
      skew = Durations.parse(maxSkew);
    } catch (IllegalArgumentException e) {
      throw new UserError("--max-skew: " + e.getMessage());
    }
    List<SegmentRuns.SegmentRun> segments = SegmentRuns.read(runs, skew);
    RunSession.checkWritable(results);
    RunMerger.Merged merged = RunMerger.merge(segments, results.root, System.getenv());
    Reports.Written written = Reports.writeAll(merged.run().path());
    out.println(
        "merge: "
            + segments.size()
            + " segments, "
            + merged.verdict()
            + ", results in "
            + merged.run().path()
            + " ("
            + written.html().getFileName()
            + ")");
    return HttpResult.PASS.equals(merged.verdict()) ? ExitCode.OK.code : ExitCode.FAILED.code;
  }
}
