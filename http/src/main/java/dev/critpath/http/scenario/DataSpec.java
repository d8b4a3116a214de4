package dev.critpath.http.scenario;

import java.util.List;
import java.util.Map;

/**
 * Rows that fill request templates: from SQL run once before the load (against the benchmark
 * database), a CSV or JSON file, or inline values. Each iteration draws one row per data set it
 * uses: at random, in order, or each row at most once ({@code unique}, for vouchers that can be
 * redeemed only once).
 */
public record DataSpec(
    String name, String sql, String file, List<Map<String, String>> values, Pick pick, int line) {
  public enum Pick {
    RANDOM,
    SEQUENTIAL,
    UNIQUE
  }
}
