package dev.critpath.report.compare;

/** Renders a comparison in one format; deterministic like the report writers. */
public interface ComparisonWriter {
  ComparisonFormat format();

  String render(Comparison comparison);
}
