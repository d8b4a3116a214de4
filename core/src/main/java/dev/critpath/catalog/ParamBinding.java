package dev.critpath.catalog;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HexFormat;
import java.util.UUID;

/**
 * How a catalog query's parameter values reach PostgreSQL, the one way bench (bound to a JDBC
 * statement) and explain (as literals of {@code EXECUTE}) both use, so that a query explain accepts
 * never fails bench on a type: each value goes as untyped text, which the server turns into the
 * type it infers for that placeholder from the statement ({@code make_interval(days => $1)}:
 * integer, whatever Java type the sampler drew). Only a placeholder the statement gives no type
 * ({@code SELECT $1}) takes its type from the value.
 */
public final class ParamBinding {
  /** indeterminate_datatype: the statement does not say what type a placeholder is. */
  private static final String INDETERMINATE = "42P18";

  /** Who decides the parameters' types. */
  public enum TypeSource {
    /** The server, from the statement. */
    STATEMENT,
    /** The values' Java types ({@link #typeOf}); the statement leaves some placeholder untyped. */
    VALUES
  }

  private final TypeSource types;

  private ParamBinding(TypeSource types) {
    this.types = types;
  }

  /**
   * Finds out, by having the server describe {@code jdbcSql} ({@code ?} placeholders) with untyped
   * parameters, whether it can infer every parameter's type. Inside a transaction the attempt runs
   * in a savepoint, so a refusal leaves the transaction usable.
   */
  public static ParamBinding of(Connection c, String jdbcSql) throws SQLException {
    Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
    try (PreparedStatement ps = c.prepareStatement(jdbcSql)) {
      ps.getParameterMetaData();
      if (sp != null) {
        c.releaseSavepoint(sp);
      }
      return new ParamBinding(TypeSource.STATEMENT);
    } catch (SQLException e) {
      if (!INDETERMINATE.equals(e.getSQLState())) {
        throw e;
      }
      if (sp != null) {
        c.rollback(sp);
      }
      return new ParamBinding(TypeSource.VALUES);
    }
  }

  public TypeSource types() {
    return types;
  }

  /** Binds one value to placeholder {@code index} (1-based) of a statement of this query. */
  public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (types == TypeSource.VALUES) {
      ps.setObject(index, value);
    } else if (value == null) {
      ps.setNull(index, java.sql.Types.OTHER);
    } else {
      // Types.OTHER with a String: pgjdbc sends it as text of unspecified type
      ps.setObject(index, text(value), java.sql.Types.OTHER);
    }
  }

  /**
   * The value as a literal for {@code EXECUTE name(...)}: quoted text has no type of its own, so
   * the server coerces it to the prepared parameter's type, as it does an untyped bound value.
   */
  public static String literal(Object value) {
    return value == null ? "NULL" : "'" + text(value).replace("'", "''") + "'";
  }

  /** The PostgreSQL text form of a sampled value. */
  static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    return value.toString();
  }

  /**
   * The type of a value for a placeholder the statement leaves untyped: what pgjdbc sends for the
   * same Java value, so that explain's {@code PREPARE name (types)} matches bench's binding.
   */
  public static String typeOf(Object value) {
    if (value instanceof UUID) {
      return "uuid";
    }
    if (value instanceof Integer || value instanceof Short) {
      return "integer";
    }
    if (value instanceof Long) {
      return "bigint";
    }
    if (value instanceof Double || value instanceof Float) {
      return "double precision";
    }
    if (value instanceof BigDecimal) {
      return "numeric";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof java.sql.Timestamp || value instanceof java.time.OffsetDateTime) {
      return "timestamptz";
    }
    return "varchar";
  }
}
