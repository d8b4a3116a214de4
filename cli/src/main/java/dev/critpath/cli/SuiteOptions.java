package dev.critpath.cli;

import dev.critpath.UserError;
import dev.critpath.seed.Profile;
import picocli.CommandLine.Option;

/** The default suite's own options: which dataset, and whether every stage runs at its shortest. */
final class SuiteOptions {
  @Option(
      names = "--dataset",
      paramLabel = "PROFILE",
      defaultValue = "small",
      description =
          "Dataset the suite seeds and measures: tiny, seed001, small, large or xlarge"
              + " (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(
      names = "--smoke",
      description =
          "Take the same pipeline through every stage at its shortest (JMH in-process, 1"
              + " iteration of 100 ms at 2 threads, HTTP scenarios at a tenth of their length, realtime 10"
              + " subscribers for 2 s): checks the pipeline, its numbers are not for comparison.")
  boolean smoke;

  /**
   * @throws UserError for an unknown dataset, before anything starts
   */
  SuiteSettings settings() {
    Profile profile;
    try {
      profile = Profile.parse(dataset);
    } catch (UserError e) {
      throw new UserError("--dataset: " + e.getMessage());
    }
    return smoke ? SuiteSettings.smoke(profile) : SuiteSettings.full(profile);
  }
}
