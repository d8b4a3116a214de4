package dev.critpath.cli;

import dev.critpath.run.Segment;
import picocli.CommandLine.Option;

/** {@code --segment i/N}: run one execution segment of a load split over N processes or hosts. */
final class SegmentOptions {
  @Option(
      names = "--segment",
      paramLabel = "i/N",
      description =
          "Run segment i of N (1 <= i <= N): its share of the load (VUs, arrivals, iterations,"
              + " subscribers, threads; the N shares add up to the whole exactly) and a disjoint"
              + " slice of users and data rows. Combine the N run directories with ./run.sh merge."
              + " Default: the whole run.")
  String segment;

  /** The segment asked for; a malformed one is a user error before anything starts. */
  Segment segment() {
    return segment == null ? Segment.WHOLE : Segment.parse(segment);
  }
}
