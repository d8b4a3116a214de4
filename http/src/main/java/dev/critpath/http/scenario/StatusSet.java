package dev.critpath.http.scenario;

import java.util.ArrayList;
import java.util.List;

/** Status codes as single values and ranges ({@code 200-399}); k6's expectedStatuses. */
public record StatusSet(List<int[]> ranges, String text) {
  public static final StatusSet DEFAULT = parse(List.of("200-399"));

  public static StatusSet parse(List<String> items) {
    List<int[]> ranges = new ArrayList<>();
    for (String item : items) {
      String s = item.strip();
      int dash = s.indexOf('-');
      try {
        int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).strip());
        int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1).strip());
        if (lo < 100 || hi > 599 || hi < lo) {
          throw new NumberFormatException();
        }
        ranges.add(new int[] {lo, hi});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "\"" + s + "\" is not a status code or range (write 200, 429 or 200-399)");
      }
    }
    return new StatusSet(List.copyOf(ranges), String.join(",", items));
  }

  public boolean contains(int status) {
    for (int[] r : ranges) {
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }
}
