package dev.critpath.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which catalog paths a command measures, and with which sampler seed: {@code --queries}, {@code
 * --only}, {@code --seed} (explain and bench).
 */
final class CatalogOptions {
  @Option(
      names = "--queries",
      paramLabel = "DIR",
      description =
          "A directory of catalog files (NAME.sql with a header) instead of the reference"
              + " catalog; repeat to merge several, 'builtin' names the reference catalog.")
  List<String> queries = new ArrayList<>();

  @Option(
      names = "--only",
      split = ",",
      arity = "1..*",
      paramLabel = "NAME",
      description = "Only these paths (catalog names; comma or space separated).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "Seed of the parameter samplers that pick the keys: same seed, same keys. Default:"
              + " ${DEFAULT-VALUE}.")
  long seed;
}
