package dev.critpath.seed;

import dev.critpath.UserError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What to seed and how.
 *
 * @param profile the dataset size
 * @param scale multiplies the profile's counts (1 = as documented)
 * @param seed the random seed: same profile, scale, seed and anchor give the same rows
 * @param anchor the "now" of the data: messages span the 90 days before it, issued vouchers expire
 *     after it. Default: today 00:00 UTC, so a dataset seeded today looks current today
 * @param jobs parallel connections for COPY streams and index builds (default 2: both cores)
 * @param allowUnmarked seed a database that has tables but no critpath marker
 * @param listener progress
 */
public record SeedOptions(
    Profile profile,
    double scale,
    long seed,
    Instant anchor,
    int jobs,
    boolean allowUnmarked,
    SeedListener listener) {

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_JOBS = 2;
  public static final int MAX_JOBS = 32;

  public SeedOptions {
    if (profile == null) {
      throw new UserError("no seed profile given: choose one of " + Profile.names());
    }
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw new UserError("--jobs must be between 1 and " + MAX_JOBS + ", got " + jobs);
    }
    if (Double.isNaN(scale) || scale <= 0 || scale > Plan.MAX_SCALE) {
      throw new UserError(
          "--scale must be a number above 0 and at most "
              + (long) Plan.MAX_SCALE
              + ", got "
              + scale);
    }
    if (anchor == null) {
      anchor = today();
    }
    if (listener == null) {
      listener = SeedListener.silent();
    }
  }

  /** The profile's defaults: scale 1, seed 42, anchored today, two jobs, silent. */
  public static SeedOptions of(Profile profile) {
    return new SeedOptions(profile, 1.0, DEFAULT_SEED, null, DEFAULT_JOBS, false, null);
  }

  public static Instant today() {
    return LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public SeedOptions withSeed(long value) {
    return new SeedOptions(profile, scale, value, anchor, jobs, allowUnmarked, listener);
  }

  public SeedOptions withScale(double value) {
    return new SeedOptions(profile, value, seed, anchor, jobs, allowUnmarked, listener);
  }

  public SeedOptions withAnchor(Instant value) {
    return new SeedOptions(profile, scale, seed, value, jobs, allowUnmarked, listener);
  }

  public SeedOptions withJobs(int value) {
    return new SeedOptions(profile, scale, seed, anchor, value, allowUnmarked, listener);
  }

  public SeedOptions withAllowUnmarked(boolean value) {
    return new SeedOptions(profile, scale, seed, anchor, jobs, value, listener);
  }

  public SeedOptions withListener(SeedListener value) {
    return new SeedOptions(profile, scale, seed, anchor, jobs, allowUnmarked, value);
  }

  /** The volumes this seed loads (the profile's plan, scaled). */
  public Plan plan() {
    return profile.plan().scaled(scale);
  }
}
