package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** k6's duration strings: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}, {@code 1.5s}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    double nanos = 0;
    int pos = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos) {
      double v = Double.parseDouble(m.group(1));
      nanos += v * unitNanos(m.group(2));
      pos = m.end();
    }
    if (pos == 0 || pos != s.length()) {
      throw new IllegalArgumentException(
          "\"" + s + "\" is not a duration (write e.g. 500ms, 30s, 1m30s, 2h)");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static double unitNanos(String unit) {
    switch (unit) {
      case "us":
      case "µs":
        return 1e3;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "m":
        return 60e9;
      case "h":
        return 3600e9;
      default:
        return 86400e9;
    }
  }

  /** A short human form: 250ms, 30s, 1m30s. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = d.toSeconds();
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    long rest = ms % 1000;
    StringBuilder b = new StringBuilder();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(m).append('m');
    }
    if (sec > 0 || rest > 0 || b.length() == 0) {
      b.append(sec);
      if (rest > 0 && h == 0 && m == 0) {
        b.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
      }
      b.append('s');
    }
    return b.toString();
  }
}
