package dev.critpath.bench;

import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.Variant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/** One path's state through the bench stage. */
final class PathRun {
  final BenchPath path;
  final List<Variant> variants;
  final List<Variant> throughputVariants;
  String failure;
  String skipped;
  ParameterSource source;
  final Map<Variant, String> variantFailure = new EnumMap<>(Variant.class);
  final Map<Variant, Long> queryIds = new EnumMap<>(Variant.class);
  final Map<Variant, RunResult> sample = new EnumMap<>(Variant.class);
  final Map<Variant, Map<Integer, RunResult>> levelSamples = new EnumMap<>(Variant.class);
  final Map<Variant, BenchReport.ConnectionErrors> connectionErrors = new EnumMap<>(Variant.class);

  PathRun(BenchPath path, List<Variant> variants, List<Variant> throughputVariants) {
    this.path = path;
    this.variants = variants;
    this.throughputVariants = throughputVariants;
  }

  boolean healthy(Variant v) {
    return failure == null && skipped == null && !variantFailure.containsKey(v);
  }
}
