package dev.critpath.report.compare;

import java.util.Locale;

/** The files a comparison is written to. */
public enum ComparisonFormat {
  MARKDOWN("compare.md"),
  HTML("compare.html"),
  JSON("compare.json");

  private final String fileName;

  ComparisonFormat(String fileName) {
    this.fileName = fileName;
  }

  public String fileName() {
    return fileName;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
