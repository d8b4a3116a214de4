package dev.critpath.catalog;

/** Whether a query writes, and how the benchmark keeps the database unchanged when it does. */
public enum WriteMode {
  /** Reads only. */
  READ_ONLY("read"),
  /** Every call runs in a transaction that is rolled back inside the measured body. */
  ROLLBACK("rollback"),
  /** Every call commits; the query's {@code -- cleanup:} SQL runs after each iteration. */
  CLEANUP("cleanup");

  private final String id;

  WriteMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public boolean writes() {
    return this != READ_ONLY;
  }
}
