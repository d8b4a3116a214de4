package dev.critpath.catalog;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws parameter values for one thread: {@link #next()} picks a new set, then {@link #bind} fills
 * a statement prepared from {@link CatalogQuery#jdbcSql()} and {@link #subject()} gives the user
 * for the JWT claims, both from the same draw. Not thread-safe; allocation-free per draw.
 */
public final class ParamSampler {
  private final List<ParameterSource.Pool> pools;
  private final SplittableRandom random;
  private final Object[] values;
  private final int[] placeholderSlots;
  private final int subjectSlot;
  private final Map<String, Integer> slots = new HashMap<>();

  ParamSampler(CatalogQuery query, List<ParameterSource.Pool> pools, SplittableRandom random) {
    this.pools = pools;
    this.random = random;
    List<String> names = query.paramNames();
    for (int i = 0; i < names.size(); i++) {
      slots.put(names.get(i), i);
    }
    this.values = new Object[names.size()];
    List<String> placeholders = query.statement().placeholders();
    this.placeholderSlots = new int[placeholders.size()];
    for (int i = 0; i < placeholderSlots.length; i++) {
      placeholderSlots[i] = slots.get(placeholders.get(i));
    }
    this.subjectSlot = query.subjectParam() == null ? -1 : slots.get(query.subjectParam());
    next();
  }

  /** Draws the next set of values. */
  public void next() {
    int offset = 0;
    for (ParameterSource.Pool pool : pools) {
      pool.draw(random, values, offset);
      offset += pool.width;
    }
  }

  /** The current value of a declared parameter. */
  public Object value(String name) {
    Integer slot = slots.get(name);
    if (slot == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return values[slot];
  }

  /** The user id for the JWT claims ({@code role: authenticated as :p}), or null for none. */
  public String subject() {
    return subjectSlot < 0 || values[subjectSlot] == null ? null : values[subjectSlot].toString();
  }

  /**
   * Binds the current values to a statement prepared from the query's JDBC SQL, the way {@code
   * binding} (found once for the query) says.
   */
  public void bind(PreparedStatement ps, ParamBinding binding) throws SQLException {
    for (int i = 0; i < placeholderSlots.length; i++) {
      binding.bind(ps, i + 1, values[placeholderSlots[i]]);
    }
  }
}
