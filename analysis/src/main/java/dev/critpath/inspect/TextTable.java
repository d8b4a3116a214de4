package dev.critpath.inspect;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A console table: columns sized to their content, numbers right-aligned, long cells cut with an
 * ellipsis so one wide value cannot wreck the layout.
 */
public final class TextTable {
  private static final int MAX_CELL = 60;

  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers ending in ">" are right-aligned (the ">" is not printed). */
  public TextTable(String... headers) {
    this.headers = new String[headers.length];
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rightAligned[i] = headers[i].endsWith(">");
      this.headers[i] =
          rightAligned[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
    }
  }

  public TextTable row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "expected " + headers.length + " cells, got " + cells.length);
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cut(cells[i] == null ? "" : String.valueOf(cells[i]));
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out, String indent) {
    int[] width = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      width[i] = headers[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    line(out, indent, headers, width);
    String[] rule = new String[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rule[i] = "-".repeat(width[i]);
    }
    line(out, indent, rule, width);
    for (String[] row : rows) {
      line(out, indent, row, width);
    }
  }

  private void line(PrintWriter out, String indent, String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      if (rightAligned[i]) {
        sb.append(pad).append(cells[i]);
      } else {
        sb.append(cells[i]);
        if (i < cells.length - 1) {
          sb.append(pad);
        }
      }
    }
    out.println(sb);
  }

  private static String cut(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= MAX_CELL ? one : one.substring(0, MAX_CELL - 1) + "…";
  }

  /** 1536 → "1.5 kB"; sizes the way pg_size_pretty prints them, but with one decimal. */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  public static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }
}
