package dev.critpath.report.model;

import java.util.Locale;

/** The outcome of one threshold or expectation. */
public enum Status {
  PASS,
  FAIL,
  /** Not evaluated (no data, not applicable); never fails a run. */
  SKIP;

  /** Reads the many spellings producers use: pass/passed/ok/true, fail/failed/false, skip. */
  public static Status parse(String text) {
    if (text == null) {
      return SKIP;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "pass":
      case "passed":
      case "ok":
      case "true":
      case "held":
        return PASS;
      case "fail":
      case "failed":
      case "false":
      case "error":
      case "violated":
        return FAIL;
      default:
        return SKIP;
    }
  }

  public String symbol() {
    return this == PASS ? "✅" : this == FAIL ? "❌" : "➖";
  }
}
