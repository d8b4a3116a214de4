package dev.critpath.catalog;

import dev.critpath.UserError;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.dataset.Ids;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The values a catalog query's parameters are drawn from, prepared once (sample queries run, the
 * dataset summary read) and shared by all threads; each thread draws through its own {@link
 * ParamSampler}, seeded so that runs repeat.
 */
public final class ParameterSource {
  /** Sample queries keep at most this many rows: plenty of distinct keys, bounded memory. */
  public static final int MAX_SAMPLE_ROWS = 100_000;

  private final CatalogQuery query;
  private final List<Pool> pools;

  private ParameterSource(CatalogQuery query, List<Pool> pools) {
    this.query = query;
    this.pools = pools;
  }

  /**
   * Prepares the query's samplers.
   *
   * @param owner a connection as the connecting user, to run sample queries (RLS does not hide rows
   *     from it)
   * @param summary the seeded dataset, or null when none is loaded (id() and term() then fail)
   * @throws UserError naming the parameter's file and line when values cannot be had
   * @throws SQLException when a sample query fails
   */
  public static ParameterSource prepare(
      CatalogQuery query, Connection owner, DatasetSummary summary) throws SQLException {
    List<Pool> pools = new ArrayList<>();
    for (ParamDecl p : query.params()) {
      pools.add(pool(query, p, owner, summary));
    }
    return new ParameterSource(query, pools);
  }

  public CatalogQuery query() {
    return query;
  }

  /** A sampler for one thread; the same seed draws the same sequence. */
  public ParamSampler sampler(long seed) {
    return new ParamSampler(query, pools, new SplittableRandom(seed));
  }

  /** The values of one parameter declaration and how to pick among them. */
  abstract static class Pool {
    final int width;

    Pool(int width) {
      this.width = width;
    }

    /** Writes {@code width} values into {@code out} from {@code offset}. */
    abstract void draw(SplittableRandom random, Object[] out, int offset);
  }

  /** Picks an index 0..n-1: uniformly, or Zipf-skewed towards 0. */
  static final class Picker {
    private final long n;
    private final Zipf zipf;

    Picker(long n, SamplerSpec.Distribution d) {
      this.n = n;
      this.zipf = d.zipf() ? new Zipf(n, d.exponent()) : null;
    }

    long next(SplittableRandom random) {
      return zipf == null ? random.nextLong(n) : zipf.next(random) - 1;
    }
  }

  private static Pool pool(CatalogQuery q, ParamDecl p, Connection owner, DatasetSummary summary)
      throws SQLException {
    String where = q.source() + ":" + p.line() + ": parameter " + String.join(", ", p.names());
    SamplerSpec spec = p.spec();
    if (spec instanceof SamplerSpec.EntityId id) {
      String entity = id.entity().name().toLowerCase(Locale.ROOT);
      if (summary == null) {
        throw new UserError(
            where
                + ": id("
                + entity
                + ") needs a seeded dataset, and this database has none"
                + " (critpath.marker.dataset_summary is empty): run ./run.sh seed first");
      }
      long count = summary.count(id.entity());
      if (count < 1) {
        throw new UserError(
            where + ": the dataset (" + summary.profile() + ") holds no " + entity + " rows");
      }
      Picker picker = new Picker(count, id.distribution());
      int code = id.entity().code;
      return new Pool(1) {
        @Override
        void draw(SplittableRandom random, Object[] out, int offset) {
          out[offset] = seededId(code, picker.next(random) + 1);
        }
      };
    }
    if (spec instanceof SamplerSpec.Sample sample) {
      Object[][] rows = sampleRows(where, p, sample.sql(), owner);
      Picker picker = new Picker(rows.length, sample.distribution());
      return new Pool(p.names().size()) {
        @Override
        void draw(SplittableRandom random, Object[] out, int offset) {
          Object[] row = rows[(int) picker.next(random)];
          System.arraycopy(row, 0, out, offset, row.length);
        }
      };
    }
    if (spec instanceof SamplerSpec.Term term) {
      List<Object> terms = new ArrayList<>();
      if (summary != null) {
        for (DatasetSummary.SearchTerm t : summary.searchTerms()) {
          if (term.selectivities().isEmpty()
              || term.selectivities().contains(t.selectivity().toLowerCase(Locale.ROOT))) {
            terms.add(t.term());
          }
        }
      }
      if (terms.isEmpty()) {
        throw new UserError(
            where
                + ": no search terms"
                + (term.selectivities().isEmpty() ? "" : " of selectivity " + term.selectivities())
                + " in the dataset summary"
                + (summary == null ? " (no seeded dataset: run ./run.sh seed first)" : "")
                + "; or list terms yourself with list('word', ...)");
      }
      return oneOf(terms, term.distribution());
    }
    if (spec instanceof SamplerSpec.OneOf list) {
      return oneOf(list.values(), list.distribution());
    }
    if (spec instanceof SamplerSpec.RandomUuid) {
      return new Pool(1) {
        @Override
        void draw(SplittableRandom random, Object[] out, int offset) {
          long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
          long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
          out[offset] = new UUID(msb, lsb);
        }
      };
    }
    SamplerSpec.IntRange range = (SamplerSpec.IntRange) spec;
    Picker picker = new Picker(range.max() - range.min() + 1, range.distribution());
    return new Pool(1) {
      @Override
      void draw(SplittableRandom random, Object[] out, int offset) {
        out[offset] = range.min() + picker.next(random);
      }
    };
  }

  private static Pool oneOf(List<Object> values, SamplerSpec.Distribution d) {
    Object[] all = values.toArray();
    Picker picker = new Picker(all.length, d);
    return new Pool(1) {
      @Override
      void draw(SplittableRandom random, Object[] out, int offset) {
        out[offset] = all[(int) picker.next(random)];
      }
    };
  }

  /** The sample query's rows, read in a read-only transaction: a sample query never writes. */
  private static Object[][] sampleRows(String where, ParamDecl p, String sql, Connection owner)
      throws SQLException {
    List<Object[]> rows;
    try {
      rows = ReadOnlySql.run(owner, c -> readRows(where, p, sql, c));
    } catch (SQLException e) {
      if (ReadOnlySql.refusedWrite(e)) {
        throw ReadOnlySql.writingParameterQuery(where, e);
      }
      throw new SQLException(
          where + ": the sample query failed: " + e.getMessage(), e.getSQLState(), e);
    }
    if (rows.isEmpty()) {
      throw new UserError(
          where + ": the sample query returned no rows (is the dataset seeded?): " + sql);
    }
    return rows.toArray(new Object[0][]);
  }

  private static List<Object[]> readRows(String where, ParamDecl p, String sql, Connection owner)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    int width = p.names().size();
    try (Statement st = owner.createStatement()) {
      st.setMaxRows(MAX_SAMPLE_ROWS);
      st.setFetchSize(10_000);
      try (ResultSet rs = st.executeQuery(sql)) {
        int columns = rs.getMetaData().getColumnCount();
        if (columns != width) {
          throw new UserError(
              where
                  + ": the sample query returns "
                  + columns
                  + " column"
                  + (columns == 1 ? "" : "s")
                  + " for "
                  + width
                  + " name"
                  + (width == 1 ? "" : "s")
                  + " (one column per name, in order)");
        }
        while (rs.next()) {
          Object[] row = new Object[width];
          for (int i = 0; i < width; i++) {
            row[i] = rs.getObject(i + 1);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** {@link Ids#uuid} without going through text: the index's decimal digits are the last group. */
  static UUID seededId(int entityCode, long index) {
    long digits = 0;
    int shift = 0;
    for (long x = index; x > 0; x /= 10) {
      digits |= (x % 10) << shift;
      shift += 4;
    }
    return new UUID(((long) entityCode << 32) | 0x4000L, 0x8000000000000000L | digits);
  }
}
