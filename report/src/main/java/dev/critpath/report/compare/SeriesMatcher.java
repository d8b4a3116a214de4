package dev.critpath.report.compare;

import dev.critpath.report.model.JmhResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pairs a query's jmh.json entries of two runs by configuration (method, mode, threads, params).
 */
final class SeriesMatcher {
  private SeriesMatcher() {}

  /** The configurations both runs measured, with their replicates and raw p-values. */
  static List<PendingSeries> series(
      CompareOptions options, String name, List<JmhResult> baseJmh, List<JmhResult> curJmh) {
    Map<String, JmhResult> base = byKey(name, baseJmh);
    Map<String, JmhResult> cur = byKey(name, curJmh);
    List<PendingSeries> out = new ArrayList<>();
    for (Map.Entry<String, JmhResult> e : base.entrySet()) {
      JmhResult c = cur.get(e.getKey());
      if (c == null) {
        continue;
      }
      PendingSeries p = new PendingSeries();
      p.key = e.getKey();
      p.base = e.getValue();
      p.cur = c;
      p.label = label(name, e.getValue());
      p.unit = p.base.higherIsBetter() ? "ops/s" : "ms/op";
      p.forkMeans = PendingSeries.useForkMeans(options, p.base, c);
      p.b = PendingSeries.replicates(p.base, p.forkMeans);
      p.c = PendingSeries.replicates(c, p.forkMeans);
      if (p.b.length < 2 || p.c.length < 2) {
        p.note = p.label + ": fewer than 2 replicates in a run, not tested";
      } else {
        p.pValue = MannWhitney.pValue(p.b, p.c);
      }
      if (p.b.length == 0 || p.c.length == 0) {
        continue;
      }
      out.add(p);
    }
    return out;
  }

  /** The jmh.json entries of one query, keyed by configuration (method, mode, threads, params). */
  private static Map<String, JmhResult> byKey(String name, List<JmhResult> all) {
    Map<String, JmhResult> out = new TreeMap<>();
    for (JmhResult r : all) {
      if (!belongsTo(name, r)) {
        continue;
      }
      out.put(key(name, r), r);
    }
    return out;
  }

  private static boolean belongsTo(String name, JmhResult r) {
    if (r.params().containsValue(name)) {
      return true;
    }
    return r.params().isEmpty()
        && r.method()
            .toLowerCase(Locale.ROOT)
            .equals(name.replace("_", "").toLowerCase(Locale.ROOT));
  }

  static String key(String name, JmhResult r) {
    StringBuilder sb =
        new StringBuilder(r.benchmark())
            .append('|')
            .append(r.mode())
            .append('|')
            .append(r.threads());
    new TreeMap<>(r.params())
        .forEach(
            (k, v) -> {
              if (!v.equals(name)) {
                sb.append('|').append(k).append('=').append(v);
              }
            });
    return sb.toString();
  }

  private static String label(String name, JmhResult r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.mode());
    parts.add(r.threads() + (r.threads() == 1 ? " thread" : " threads"));
    new TreeMap<>(r.params())
        .forEach(
            (k, v) -> {
              if (!v.equals(name)) {
                parts.add(k + "=" + v);
              }
            });
    return String.join(", ", parts);
  }
}
