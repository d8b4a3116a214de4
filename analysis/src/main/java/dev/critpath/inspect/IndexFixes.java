package dev.critpath.inspect;

import java.util.List;

/**
 * The SQL that inspect prints as fixes for creating and dropping indexes, in forms PostgreSQL
 * accepts on plain and on partitioned tables. Nothing here runs it: a test runs every fix on a
 * scratch copy of its fixture.
 */
final class IndexFixes {
  /** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
  private static final int MAX_NAME_BYTES = 63;

  private IndexFixes() {}

  /**
   * Drops an index without blocking writes where PostgreSQL allows it. A constraint's index goes
   * with its constraint; a partitioned index cannot be dropped concurrently (and its partitions'
   * indexes cannot be dropped on their own), so it is a plain DROP INDEX.
   */
  static String drop(IndexDef ix) {
    if (ix.backsConstraint()) {
      return "ALTER TABLE "
          + ix.qualifiedTable()
          + " DROP CONSTRAINT "
          + Sql.ident(ix.constraintName())
          + ";";
    }
    return "DROP INDEX " + (ix.partitioned() ? "" : "CONCURRENTLY ") + ix.qualifiedName() + ";";
  }

  /**
   * Creates an index without blocking writes. On a partitioned table whose partitions are one level
   * below it, that is the parent's index created ON ONLY the parent (invalid until every partition
   * has one), then each partition's index CONCURRENTLY and attached; on a table partitioned on
   * several levels, a plain CREATE INDEX (it blocks writes while it builds).
   *
   * @param key the key columns as SQL ("a, b DESC")
   * @param predicate a partial index's WHERE condition, or null
   * @param partitions the table's leaf partitions (see {@link SchemaModel#partitions}), or null for
   *     a table that is not partitioned
   */
  static String create(
      String schema,
      String table,
      String key,
      String predicate,
      List<SchemaModel.Partition> partitions) {
    String where = predicate == null ? "" : " WHERE " + predicate;
    String qualified = Sql.qualified(schema, table);
    if (partitions == null) {
      return "CREATE INDEX CONCURRENTLY ON " + qualified + " (" + key + ")" + where + ";";
    }
    if (partitions.isEmpty()) {
      return "CREATE INDEX ON " + qualified + " (" + key + ")" + where + ";";
    }
    String parent = name(table, key, predicate != null);
    StringBuilder sql = new StringBuilder();
    sql.append("CREATE INDEX ")
        .append(Sql.ident(parent))
        .append(" ON ONLY ")
        .append(qualified)
        .append(" (")
        .append(key)
        .append(")")
        .append(where)
        .append(";");
    for (SchemaModel.Partition partition : partitions) {
      String child = name(partition.name(), key, predicate != null);
      sql.append("\nCREATE INDEX CONCURRENTLY ")
          .append(Sql.ident(child))
          .append(" ON ")
          .append(Sql.qualified(partition.schema(), partition.name()))
          .append(" (")
          .append(key)
          .append(")")
          .append(where)
          .append(";");
      sql.append("\nALTER INDEX ")
          .append(Sql.qualified(schema, parent))
          .append(" ATTACH PARTITION ")
          .append(Sql.qualified(partition.schema(), child))
          .append(";");
    }
    return sql.toString();
  }

  /**
   * "messages_conversation_id_created_at_idx" ("..._partial_idx" for a partial index, which often
   * replaces the full one of that name), cut to PostgreSQL's limit.
   */
  static String name(String table, String key, boolean partial) {
    String columns = key.replaceAll("(?i)\\s+(DESC|ASC|NULLS FIRST|NULLS LAST)", "");
    String base = (table + "_" + columns.replaceAll("[^A-Za-z0-9_]+", "_")).replaceAll("_+$", "");
    String suffix = partial ? "_partial_idx" : "_idx";
    int room = MAX_NAME_BYTES - suffix.length();
    return (base.length() > room ? base.substring(0, room) : base) + suffix;
  }
}
