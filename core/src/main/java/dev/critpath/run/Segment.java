package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.critpath.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of N equal execution segments of a run ({@code --segment i/N}), as k6's execution segments
 * with the sequence {@code 0,1/N,...,1}: the units of any count (VUs, iterations, planned arrivals,
 * subscribers, data rows, threads) are striped over the segments, unit {@code j} (0-based) going to
 * segment {@code j mod N + 1}. So a segment's share of {@code v} is {@code ceil((v - i + 1) / N)},
 * the N shares add up to {@code v} exactly, and two segments never own the same unit. Written to
 * run.json as {@code "segment": {"index": i, "count": N}}.
 *
 * @param index 1-based, as in {@code --segment 2/4}
 * @param count how many segments the whole run is split into
 */
public record Segment(int index, int count) {
  /** The unsegmented run: every unit. */
  public static final Segment WHOLE = new Segment(1, 1);

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

  public Segment {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("segment " + index + "/" + count);
    }
  }

  /** Parses {@code i/N}; anything else is a user error naming the option and the form. */
  public static Segment parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new UserError(
          "--segment " + text + ": expected i/N with 1 <= i <= N (for example --segment 2/4)");
    }
    int i = Integer.parseInt(m.group(1));
    int n = Integer.parseInt(m.group(2));
    if (n < 1 || i < 1 || i > n) {
      throw new UserError(
          "--segment "
              + text
              + ": the index must lie between 1 and the count N >= 1 (for example --segment 2/4)");
    }
    return new Segment(i, n);
  }

  /** True for the unsegmented run. */
  @JsonIgnore
  public boolean isWhole() {
    return count == 1;
  }

  /** This segment's share of {@code units}: the units j in [0, units) with j mod N == i - 1. */
  public long scale(long units) {
    long first = index - 1L;
    return units <= first ? 0 : (units - first + count - 1) / count;
  }

  /** Whether unit {@code j} (0-based) belongs to this segment. */
  public boolean owns(long unit) {
    return Math.floorMod(unit, (long) count) == index - 1;
  }

  /** The whole run's index of this segment's {@code m}-th unit (both 0-based). */
  public long unitOf(long m) {
    return m * count + index - 1;
  }

  /** The items this segment owns, in order. */
  public <T> List<T> slice(List<T> items) {
    if (isWhole()) {
      return items;
    }
    List<T> out = new ArrayList<>((int) scale(items.size()));
    for (int j = index - 1; j < items.size(); j += count) {
      out.add(items.get(j));
    }
    return out;
  }

  /** This segment's share of a rate: the rate times 1/N (arrivals themselves are striped). */
  public double share(double rate) {
    return rate / count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
