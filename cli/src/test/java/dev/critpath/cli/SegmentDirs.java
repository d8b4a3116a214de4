package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Segment run directories for merge tests: spoiled copies, and a merge that must refuse them. */
final class SegmentDirs {
  private SegmentDirs() {}

  /** Changes a run directory's run.json in place. */
  static void edit(Path runDir, Consumer<ObjectNode> change) throws Exception {
    Path file = runDir.resolve("run.json");
    ObjectNode root = (ObjectNode) Json.mapper().readTree(file.toFile());
    change.accept(root);
    Json.writeFile(file, root);
  }

  /** A copy of a segment run (its files) under {@code dir/copies/name}, to spoil. */
  static Path copy(Path dir, Path runDir, String name) throws Exception {
    Path to = dir.resolve("copies").resolve(name);
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(runDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  /**
   * Merges {@code runs} into {@code dir/refused}: exit 2, one line with {@code expected}, no run.
   */
  static void refused(Path dir, String expected, Path... runs) {
    refused(dir, List.of(), expected, runs);
  }

  /** As {@link #refused(Path, String, Path...)}, with more merge options. */
  static void refused(Path dir, List<String> options, String expected, Path... runs) {
    Path out = dir.resolve("refused");
    List<String> args = new ArrayList<>(List.of("merge", "--results", out.toString()));
    args.addAll(options);
    for (Path r : runs) {
      args.add(r.toString());
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected);
    assertThat(run.critpathErrLines()).as(run.err()).isEqualTo(1);
    assertThat(out.resolve("latest")).doesNotExist();
  }

  /**
   * Merges two segment runs into {@code out} with any start skew allowed: tests run segments one
   * after the other, not together.
   */
  static CliRun mergeAnySkew(Path out, Path first, Path second) {
    return CliRun.of(
        "merge",
        "--results",
        out.toString(),
        "--max-skew",
        "1h",
        first.toString(),
        second.toString());
  }
}
