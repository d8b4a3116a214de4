package dev.critpath.bench;

import dev.critpath.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH options of one run: the profile's settings, overridden by whatever the user passed with
 * {@code --jmh}, plus what critpath itself controls (benchmark, mode, threads, params, result
 * file), which {@code --jmh} may not change.
 */
final class JmhOptions {
  private final BenchProfile profile;
  private final Options user;

  JmhOptions(BenchProfile profile, String jmhArgs) {
    this.profile = profile;
    this.user = parse(jmhArgs);
  }

  private static Options parse(String jmhArgs) {
    String[] args =
        jmhArgs == null || jmhArgs.isBlank() ? new String[0] : jmhArgs.strip().split("\\s+");
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      throw new UserError("--jmh: " + e.getMessage() + " (see java -jar jmh.jar -h for options)");
    }
    List<String> owned = new ArrayList<>();
    if (!cli.getIncludes().isEmpty()) {
      owned.add("benchmark names " + cli.getIncludes() + " (use --only)");
    }
    if (cli.getThreads().hasValue() || cli.getThreadGroups().hasValue()) {
      owned.add("-t/-tg (use --threads)");
    }
    if (!cli.getBenchModes().isEmpty()) {
      owned.add("-bm (critpath samples latency at 1 thread and at each --threads level)");
    }
    if (cli.getResult().hasValue() || cli.getResultFormat().hasValue()) {
      owned.add("-rf/-rff (jmh.json is written to the run directory)");
    }
    if (cli.getParameter("query").hasValue() || cli.getParameter("variant").hasValue()) {
      owned.add("-p (use --only and --variants)");
    }
    if (cli.getTimeUnit().hasValue() || cli.getOperationsPerInvocation().hasValue()) {
      owned.add("-tu/-opi (results are reported in ms and ops/s)");
    }
    if (!owned.isEmpty()) {
      throw new UserError("--jmh cannot set " + String.join(", ", owned));
    }
    return cli;
  }

  /** Forks in effect (0 runs in this JVM). */
  int forks() {
    return user.getForkCount().orElse(profile.forks);
  }

  int warmupIterations() {
    return user.getWarmupIterations().orElse(profile.warmupIterations);
  }

  TimeValue warmupTime() {
    return user.getWarmupTime().orElse(profile.warmupTime);
  }

  int measurementIterations() {
    return user.getMeasurementIterations().orElse(profile.measurementIterations);
  }

  TimeValue measurementTime() {
    return user.getMeasurementTime().orElse(profile.measurementTime);
  }

  /** Options for one JMH run of {@link CatalogBenchmark}. */
  Options build(
      Mode mode,
      int threads,
      String variant,
      List<String> paths,
      String configFile,
      boolean serverStats,
      String resultFile) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .parent(user)
            .include("^" + Pattern.quote(CatalogBenchmark.class.getName() + ".call") + "$")
            .mode(mode)
            .threads(threads)
            .timeUnit(mode == Mode.SampleTime ? TimeUnit.MICROSECONDS : TimeUnit.SECONDS)
            .param("query", paths.toArray(new String[0]))
            .param("variant", variant)
            .forks(forks())
            .warmupIterations(warmupIterations())
            .warmupTime(warmupTime())
            .measurementIterations(measurementIterations())
            .measurementTime(measurementTime())
            .shouldFailOnError(false)
            .resultFormat(ResultFormatType.JSON)
            .result(resultFile);
    List<String> append = new ArrayList<>(user.getJvmArgsAppend().orElse(List.of()));
    append.add("-D" + ForkConfig.PROPERTY + "=" + configFile);
    b.jvmArgsAppend(append.toArray(new String[0]));
    if (serverStats) {
      b.addProfiler(PgStatProfiler.class);
    }
    return b.build();
  }
}
