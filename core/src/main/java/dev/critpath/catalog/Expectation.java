package dev.critpath.catalog;

/**
 * One {@code -- expect:} line, kept as written: the plan and index analysis interprets it ("uses
 * index X", "no seq scan on messages", "shared buffers <= N", ...); the catalog only records where
 * it came from so a failed expectation can point at its line.
 *
 * @param text the expectation after {@code expect:}, trimmed
 * @param source the catalog file (as shown to users)
 * @param line the 1-based line of the expectation in that file
 */
public record Expectation(String text, String source, int line) {
  /** {@code file:line}, for messages. */
  public String location() {
    return source + ":" + line;
  }
}
