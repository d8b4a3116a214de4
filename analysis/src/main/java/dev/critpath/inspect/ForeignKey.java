package dev.critpath.inspect;

import java.util.List;

/**
 * A foreign key: {@code columns} of {@code table} reference {@code referencedTable}.
 *
 * @param attnums the referencing columns' numbers, in constraint order
 */
public record ForeignKey(
    String name,
    String schema,
    String table,
    long tableOid,
    long[] attnums,
    List<String> columns,
    String referencedTable,
    long tablePages,
    double tableTuples) {

  public String qualifiedTable() {
    return Sql.qualified(schema, table);
  }
}
