package dev.critpath.catalog;

/**
 * A problem at one line of a catalog file; the parser turns it into a UserError naming the file.
 */
final class SyntaxProblem extends Exception {
  private static final long serialVersionUID = 1L;

  final int line;

  SyntaxProblem(int line, String reason) {
    super(reason, null, false, false);
    this.line = line;
  }
}
