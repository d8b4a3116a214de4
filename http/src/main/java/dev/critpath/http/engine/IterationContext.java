package dev.critpath.http.engine;

import dev.critpath.http.scenario.TemplateContext;
import java.util.Map;

/** One iteration's view for templates: its VU, number, scenario and the rows it drew. */
final class IterationContext implements TemplateContext {
  private final int vu;
  private final long iteration;
  private final String scenario;
  private final Map<String, DataSets.Row> rows;

  IterationContext(int vu, long iteration, String scenario, Map<String, DataSets.Row> rows) {
    this.vu = vu;
    this.iteration = iteration;
    this.scenario = scenario;
    this.rows = rows;
  }

  @Override
  public int vu() {
    return vu;
  }

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public String scenario() {
    return scenario;
  }

  @Override
  public String column(String dataset, String column) {
    DataSets.Row row = rows.get(dataset);
    return row == null ? "" : row.get(column);
  }
}
