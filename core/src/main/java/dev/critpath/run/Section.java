package dev.critpath.run;

/**
 * The sections of run.json, each with its JSON key: producers write under these names and the
 * report reads them back, so the two sides of the contract share one list (run.schema.json
 * describes each section's shape).
 */
public enum Section {
  ENVIRONMENT("environment"),
  DATASET("dataset"),
  DOCTOR("doctor"),
  INVARIANTS("invariants"),
  BENCH("bench"),
  AB("ab"),
  IN_DATABASE("inDatabase"),
  EXPLAIN("explain"),
  INSPECT("inspect"),
  HTTP("http"),
  REALTIME("realtime"),
  SERVER("server"),
  RLS("rls"),
  DATA_INTEGRITY("dataIntegrity"),
  NOT_CAPTURED("notCaptured"),
  STAGE_ERRORS("stageErrors");

  private final String key;

  Section(String key) {
    this.key = key;
  }

  /** The section's key under run.json's {@code sections}. */
  public String key() {
    return key;
  }
}
