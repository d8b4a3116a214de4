package dev.critpath.run;

/**
 * How a {@code write: rollback} path's transactions end when it is measured. Each such path is
 * measured both ways, as two paths named {@code NAME [committed]} and {@code NAME [rolledBack]}:
 * committed is what a user pays (COMMIT, the WAL flush, {@code synchronous_commit}), rolled back is
 * the work alone.
 */
public enum WriteCommit {
  /** The transaction commits; the rows it changed are restored after each iteration, untimed. */
  COMMITTED("committed"),
  /** The transaction is rolled back inside the measured call. */
  ROLLED_BACK("rolledBack");

  private final String id;

  WriteCommit(String id) {
    this.id = id;
  }

  /** The value in run.json's bench section ({@code commit}) and in the path's name. */
  public String id() {
    return id;
  }

  /** The path's name in this mode, e.g. {@code send_message [committed]}. */
  public String pathName(String catalogName) {
    return catalogName + " [" + id + "]";
  }
}
