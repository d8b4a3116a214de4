package dev.critpath.catalog;

import dev.critpath.dataset.Ids;
import java.util.List;

/**
 * How a parameter's values are drawn, as declared by {@code -- param: NAME = SPEC}. Every spec may
 * be followed by a distribution: {@code uniform} (the default) or {@code zipf S}, which favours the
 * first values (rank 1 = index 1 for seeded ids, the first row of a sample query) the way real
 * traffic favours hot users and conversations.
 */
public sealed interface SamplerSpec
    permits SamplerSpec.EntityId,
        SamplerSpec.Sample,
        SamplerSpec.Term,
        SamplerSpec.OneOf,
        SamplerSpec.RandomUuid,
        SamplerSpec.IntRange {

  Distribution distribution();

  /** How many parameter names one draw fills (only {@link Sample} fills several). */
  default boolean multiColumn() {
    return false;
  }

  /** Uniform, or Zipf with the given exponent over ranks 1..n. */
  record Distribution(boolean zipf, double exponent) {
    public static final Distribution UNIFORM = new Distribution(false, 0);

    public static Distribution zipf(double exponent) {
      return new Distribution(true, exponent);
    }

    @Override
    public String toString() {
      return zipf ? "zipf " + exponent : "uniform";
    }
  }

  /**
   * {@code id(ENTITY)}: the deterministic ids of seeded rows ({@link Ids}), index 1 to the count in
   * the dataset summary. For users and conversations the index is the popularity rank.
   */
  record EntityId(Ids.Entity entity, Distribution distribution) implements SamplerSpec {}

  /**
   * {@code sample(SELECT ...)}: rows read once at setup, as the connecting user; each draw binds
   * one row's columns to the declared names in order. The rows' order is their rank for zipf.
   */
  record Sample(String sql, Distribution distribution) implements SamplerSpec {
    @Override
    public boolean multiColumn() {
      return true;
    }
  }

  /**
   * {@code term()} or {@code term(rare, common)}: search terms the seeder planted in message text,
   * optionally only those of the given selectivities.
   */
  record Term(List<String> selectivities, Distribution distribution) implements SamplerSpec {}

  /** {@code list('a', 'b', 42)}: one of the given values. */
  record OneOf(List<Object> values, Distribution distribution) implements SamplerSpec {}

  /** {@code uuid()}: a fresh random UUID per call (client ids, idempotency keys). */
  record RandomUuid() implements SamplerSpec {
    @Override
    public Distribution distribution() {
      return Distribution.UNIFORM;
    }
  }

  /** {@code int(MIN, MAX)}: an integer between both bounds, inclusive. */
  record IntRange(long min, long max, Distribution distribution) implements SamplerSpec {}
}
