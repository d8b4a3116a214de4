package dev.critpath.http.scenario;

/** What a template can read while one iteration renders its requests. */
public interface TemplateContext {
  int vu();

  long iteration();

  String scenario();

  /** The value of {@code column} in the row this iteration drew from {@code dataset}. */
  String column(String dataset, String column);
}
