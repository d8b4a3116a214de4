package dev.critpath.inspect;

import java.util.List;

/**
 * An index as the catalogs describe it (pg_index + pg_class), everything the structural rules
 * compare.
 *
 * @param attnums the table column of each index column (0 for an expression), keys then INCLUDE
 * @param columns each index column as pg_get_indexdef renders it (a name or an expression)
 * @param opclasses operator class of each key column
 * @param collations collation of each key column
 * @param options per-key-column flags (bit 0 DESC, bit 1 NULLS FIRST)
 * @param predicate the partial-index predicate, or null
 * @param constraintType p, u or x when the index backs a constraint, else null
 * @param tuples index entries at the last VACUUM/ANALYZE; negative when never counted
 * @param tablePages the table's size in pages (from its size when exact sizes were readable)
 * @param partitioned the table is partitioned: sizes and counts are its leaf partitions' sums
 * @param leaves for a partitioned index, its leaf partitions' indexes (their counters are its)
 */
public record IndexDef(
    long oid,
    String schema,
    String table,
    long tableOid,
    String name,
    String method,
    boolean unique,
    boolean primary,
    boolean valid,
    boolean ready,
    int keyCount,
    long[] attnums,
    List<String> columns,
    long[] opclasses,
    long[] collations,
    long[] options,
    String predicate,
    String constraintName,
    String constraintType,
    String definition,
    long sizeBytes,
    long pages,
    double tuples,
    long tablePages,
    double tableTuples,
    long tableBytes,
    boolean partitioned,
    long[] leaves) {

  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }

  public String qualifiedTable() {
    return Sql.qualified(schema, table);
  }

  /** Backs a primary key, unique or exclusion constraint: dropping it changes behaviour. */
  public boolean backsConstraint() {
    return constraintType != null;
  }

  /** Enforces something (uniqueness or a constraint), so it is never "unused" or redundant. */
  public boolean enforces() {
    return unique || primary || backsConstraint();
  }

  public List<String> keyColumns() {
    return columns.subList(0, Math.min(keyCount, columns.size()));
  }

  public List<String> includeColumns() {
    return columns.subList(Math.min(keyCount, columns.size()), columns.size());
  }
}
