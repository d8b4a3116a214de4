package dev.critpath.explain;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Parameter values as SQL literals, for {@code EXECUTE name(...)}: a quoted literal has no type of
 * its own, so PostgreSQL coerces it to whatever the prepared statement's parameter is.
 */
final class SqlLiteral {
  private SqlLiteral() {}

  static String of(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return value.toString();
    }
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    return "'" + value.toString().replace("'", "''") + "'";
  }

  /** A type for a parameter PostgreSQL cannot infer from the statement alone. */
  static String typeOf(Object value) {
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
    return "text";
  }
}
