package dev.critpath.bench;

import dev.critpath.UserError;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.run.Segment;
import java.util.List;

/**
 * What to benchmark and how long.
 *
 * @param only path names to run; empty for all
 * @param threads concurrency levels (percentiles and throughput); empty for the profile's
 * @param querySources catalog sources: {@link QueryCatalog#BUILTIN} and/or directories
 * @param variants variants to run; empty for each path's declared ones (throughput then runs only
 *     the main variant; when given, throughput runs each listed variant)
 * @param jmhArgs extra JMH command-line options (-f, -wi, -i, -r, -w, -prof, -jvmArgs...), or null
 * @param seed seeds every parameter sampler: the same seed draws the same keys
 * @param allowUnmarked run write paths on a database without critpath's marker
 * @param verbose also print JMH's own output
 */
public record BenchSettings(
    BenchProfile profile,
    List<String> only,
    List<Integer> threads,
    List<String> querySources,
    List<Variant> variants,
    String jmhArgs,
    long seed,
    boolean allowUnmarked,
    boolean verbose) {

  public static final long DEFAULT_SEED = 42;

  public BenchSettings {
    only = List.copyOf(only);
    threads = List.copyOf(threads);
    querySources = List.copyOf(querySources);
    variants = List.copyOf(variants);
  }

  /** Every path of the reference catalog with the given profile's defaults. */
  public static BenchSettings of(BenchProfile profile) {
    return new BenchSettings(
        profile,
        List.of(),
        List.of(),
        List.of(QueryCatalog.BUILTIN),
        List.of(),
        null,
        DEFAULT_SEED,
        false,
        false);
  }

  public BenchSettings withOnly(List<String> names) {
    return new BenchSettings(
        profile, names, threads, querySources, variants, jmhArgs, seed, allowUnmarked, verbose);
  }

  public BenchSettings withThreads(List<Integer> levels) {
    return new BenchSettings(
        profile, only, levels, querySources, variants, jmhArgs, seed, allowUnmarked, verbose);
  }

  public BenchSettings withQuerySources(List<String> sources) {
    return new BenchSettings(
        profile, only, threads, sources, variants, jmhArgs, seed, allowUnmarked, verbose);
  }

  public BenchSettings withVariants(List<Variant> chosen) {
    return new BenchSettings(
        profile, only, threads, querySources, chosen, jmhArgs, seed, allowUnmarked, verbose);
  }

  public BenchSettings withJmhArgs(String args) {
    return new BenchSettings(
        profile, only, threads, querySources, variants, args, seed, allowUnmarked, verbose);
  }

  public BenchSettings withSeed(long newSeed) {
    return new BenchSettings(
        profile, only, threads, querySources, variants, jmhArgs, newSeed, allowUnmarked, verbose);
  }

  public BenchSettings withAllowUnmarked(boolean allow) {
    return new BenchSettings(
        profile, only, threads, querySources, variants, jmhArgs, seed, allow, verbose);
  }

  public BenchSettings withVerbose(boolean v) {
    return new BenchSettings(
        profile, only, threads, querySources, variants, jmhArgs, seed, allowUnmarked, v);
  }

  /**
   * One execution segment's share: at each throughput level its striped share of the threads
   * ({@link Segment#scale}, so the N segments' threads add up to the level); a level that leaves
   * this segment no thread is skipped here. Each segment draws parameters from its own seed (seed +
   * i - 1), so segments do not replay the same sequence.
   */
  public BenchSettings inSegment(Segment segment) {
    if (segment.isWhole()) {
      return this;
    }
    List<Integer> mine =
        levels().stream().map(t -> (int) segment.scale(t)).filter(t -> t > 0).distinct().toList();
    if (mine.isEmpty()) {
      throw new UserError(
          "--segment "
              + segment
              + ": the thread levels "
              + levels()
              + " leave no thread for this segment: raise --threads to at least "
              + segment.count()
              + " or run fewer segments");
    }
    return withThreads(mine).withSeed(seed + segment.index() - 1);
  }

  /** The concurrency levels in effect. */
  public List<Integer> levels() {
    return threads.isEmpty() ? profile.threads : threads;
  }
}
