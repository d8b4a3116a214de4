package dev.critpath.report.writer;

import dev.critpath.report.model.RunView;

/**
 * Renders a run in one format. Writers are pure functions of the run: the same run.json always
 * gives the same bytes, which the golden-file tests rely on.
 */
public interface ReportWriter {
  ReportFormat format();

  String render(RunView run);
}
