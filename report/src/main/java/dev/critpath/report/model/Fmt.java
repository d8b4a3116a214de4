package dev.critpath.report.model;

import java.util.Locale;

/**
 * Number formatting for every writer: locale-independent, so reports are byte-for-byte the same on
 * every machine, and with as many digits as the magnitude deserves.
 */
public final class Fmt {
  public static final String NONE = "–";

  private Fmt() {}

  /** "0.412 ms", "4.12 ms", "41.2 ms", "412 ms"; {@link #NONE} for null. */
  public static String ms(Double v) {
    return v == null ? NONE : num(v) + " ms";
  }

  /** A value with three significant digits (at least), no unit. */
  public static String num(Double v) {
    if (v == null) {
      return NONE;
    }
    double a = Math.abs(v);
    String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, v);
  }

  /** A row count: integral counts without decimals ("1,250"), averages as {@link #num}. */
  public static String rows(Double v) {
    if (v == null) {
      return NONE;
    }
    return v == Math.rint(v) ? count(Math.round(v)) : num(v);
  }

  /** "50" for 50.0, "0.5" for 0.5: a limit as a human wrote it. */
  public static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  /** "12,345 ops/s". */
  public static String ops(Double v) {
    if (v == null) {
      return NONE;
    }
    return (v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : num(v)) + " ops/s";
  }

  /** "+12.3%" or "-4.0%" from a relative change (0.123). */
  public static String change(double relative) {
    return String.format(Locale.ROOT, "%+.1f%%", relative * 100);
  }

  /** "12.3%" from a share (0.123). */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** A count with thousands separators. */
  public static String count(Long v) {
    return v == null ? NONE : String.format(Locale.ROOT, "%,d", v);
  }

  /** "24.0 GiB". */
  public static String bytes(Long v) {
    if (v == null) {
      return NONE;
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double d = v;
    int u = 0;
    while (d >= 1024 && u < units.length - 1) {
      d /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", d, units[u]);
  }

  /** A p-value: "0.0012", "<0.0001". */
  public static String p(double v) {
    return v < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", v);
  }
}
