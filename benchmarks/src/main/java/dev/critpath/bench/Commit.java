package dev.critpath.bench;

/**
 * How a {@code write: rollback} path's transactions end when it is measured. Each such path is
 * measured both ways, as two paths named {@code NAME [committed]} and {@code NAME [rolledBack]}:
 * committed is what a user pays (COMMIT, the WAL flush, {@code synchronous_commit}), rolled back is
 * the work alone.
 */
enum Commit {
  /** The transaction commits; the rows it changed are restored after each iteration, untimed. */
  COMMITTED("committed"),
  /** The transaction is rolled back inside the measured call. */
  ROLLED_BACK("rolledBack");

  /** The value in run.json ({@code commit}) and in the path's name. */
  final String id;

  Commit(String id) {
    this.id = id;
  }

  /** The path's name in this mode, e.g. {@code send_message [committed]}. */
  String pathName(String catalogName) {
    return catalogName + " [" + id + "]";
  }
}
