package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParamSampler;
import dev.critpath.catalog.ParameterSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One set of parameter values for a catalog query, and the user it runs as.
 *
 * @param values each declared parameter's value, for people (and run.json)
 * @param placeholderValues the value of each placeholder, in statement order
 * @param subject the user id for the JWT claims, or null
 */
public record ParamSet(
    Map<String, String> values, @JsonIgnore List<Object> placeholderValues, String subject) {

  /** How many draws decide which keys are hot and cold. */
  static final int DRAWS = 2_000;

  /**
   * The hottest and the coldest parameter set the query's samplers produce. Every value is scored
   * by how often it comes up in {@value #DRAWS} seeded draws; the draw whose values come up most is
   * "hot" (the popular conversation, the busy user), the one whose values come up least is "cold".
   * Values every draw makes new (uuid()) do not count. Ties go to the first drawn for hot and the
   * last for cold, so the two differ whenever the samplers allow.
   */
  static List<ParamSet> hotAndCold(CatalogQuery query, ParameterSource source, long seed) {
    ParamSampler sampler = source.sampler(seed);
    List<String> names = query.paramNames();
    List<Object[]> draws = new ArrayList<>(DRAWS);
    List<String> subjects = new ArrayList<>(DRAWS);
    List<Map<Object, Integer>> counts = new ArrayList<>();
    names.forEach(n -> counts.add(new HashMap<>()));
    for (int d = 0; d < DRAWS; d++) {
      if (d > 0) {
        sampler.next();
      }
      Object[] row = new Object[names.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = sampler.value(names.get(i));
        counts.get(i).merge(key(row[i]), 1, Integer::sum);
      }
      draws.add(row);
      subjects.add(sampler.subject());
    }
    int hot = 0;
    int cold = 0;
    long best = Long.MIN_VALUE;
    long worst = Long.MAX_VALUE;
    for (int d = 0; d < draws.size(); d++) {
      long score = 0;
      for (int i = 0; i < names.size(); i++) {
        int n = counts.get(i).get(key(draws.get(d)[i]));
        score += counts.get(i).size() == DRAWS ? 0 : n; // all-distinct values say nothing
      }
      if (score > best) {
        best = score;
        hot = d;
      }
      if (score <= worst) {
        worst = score;
        cold = d;
      }
    }
    ParamSet hotSet = of(query, names, draws.get(hot), subjects.get(hot));
    ParamSet coldSet = of(query, names, draws.get(cold), subjects.get(cold));
    return hotSet.values.equals(coldSet.values) ? List.of(hotSet) : List.of(hotSet, coldSet);
  }

  private static ParamSet of(CatalogQuery query, List<String> names, Object[] row, String subject) {
    Map<String, String> shown = new LinkedHashMap<>();
    Map<String, Object> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      shown.put(names.get(i), Objects.toString(row[i], null));
      byName.put(names.get(i), row[i]);
    }
    List<Object> placeholders = new ArrayList<>();
    for (String p : query.statement().placeholders()) {
      placeholders.add(byName.get(p));
    }
    return new ParamSet(shown, placeholders, subject);
  }

  /** Arrays compare by content. */
  private static Object key(Object value) {
    return value instanceof Object[] array ? java.util.Arrays.asList(array) : value;
  }
}
