package dev.critpath.inspect;

import io.github.mfvanek.pg.connection.PgConnection;
import io.github.mfvanek.pg.connection.PgConnectionImpl;
import io.github.mfvanek.pg.connection.host.PgHostImpl;
import io.github.mfvanek.pg.core.checks.common.DatabaseCheckOnHost;
import io.github.mfvanek.pg.core.checks.host.ColumnsWithJsonTypeCheckOnHost;
import io.github.mfvanek.pg.core.checks.host.ForeignKeysWithUnmatchedColumnTypeCheckOnHost;
import io.github.mfvanek.pg.core.checks.host.NotValidConstraintsCheckOnHost;
import io.github.mfvanek.pg.core.checks.host.SequenceOverflowCheckOnHost;
import io.github.mfvanek.pg.core.checks.host.TablesWithoutPrimaryKeyCheckOnHost;
import io.github.mfvanek.pg.model.column.ColumnWithType;
import io.github.mfvanek.pg.model.constraint.Constraint;
import io.github.mfvanek.pg.model.constraint.ConstraintType;
import io.github.mfvanek.pg.model.constraint.ForeignKey;
import io.github.mfvanek.pg.model.context.PgContext;
import io.github.mfvanek.pg.model.dbobject.DbObject;
import io.github.mfvanek.pg.model.sequence.SequenceState;
import io.github.mfvanek.pg.model.table.Table;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The schema rules pg-index-health already implements (and PgHero makes): tables without a primary
 * key, sequences close to overflow, foreign keys whose column types differ from the referenced
 * ones, json columns, NOT VALID constraints. Its checks run, schema by schema, on inspect's own
 * connection inside inspect's read-only transaction; inspect adds the fixes.
 */
final class SchemaChecks {
  /** One rule: the library's check and how its results become findings. */
  private record Rule<T extends DbObject>(
      String check,
      Function<PgConnection, DatabaseCheckOnHost<T>> factory,
      FindingMaker<T> maker) {}

  private interface FindingMaker<T> {
    Finding make(Connection c, String schema, T found) throws SQLException;
  }

  /** Extension members and partitions: the rules judge the tables people own, parents first. */
  private static final String LEFT_OUT =
      "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relispartition"
          + " OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
          + "   AND d.objid = c.oid AND d.deptype = 'e')";

  private static final String USER_SCHEMAS =
      "SELECT n.nspname::text FROM pg_namespace n"
          + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname !~ '^pg_(toast|temp)'"
          + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass"
          + "   AND d.objid = n.oid AND d.deptype = 'e')"
          + " ORDER BY 1";

  /** The column a sequence fills (serial: 'a', identity: 'i'), with both types. */
  private static final String SEQUENCE_OWNER =
      "SELECT d.refobjid::regclass::text AS table_name, a.attname::text AS column_name,"
          + " format_type(a.atttypid, a.atttypmod) AS column_type, d.deptype::text AS deptype"
          + " FROM pg_depend d JOIN pg_attribute a"
          + "  ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
          + " WHERE d.classid = 'pg_class'::regclass AND d.objid = ?::regclass"
          + " AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')";

  /** Each referencing column of a foreign key whose type differs, with the referenced type. */
  private static final String FK_COLUMN_TYPES =
      "SELECT a.attname::text, format_type(fa.atttypid, fa.atttypmod)"
          + " FROM pg_constraint c"
          + " CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum)"
          + " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
          + " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum"
          + " WHERE c.conrelid = ?::regclass AND quote_ident(c.conname) = ? AND c.contype = 'f'"
          + " AND (a.atttypid, a.atttypmod) <> (fa.atttypid, fa.atttypmod)"
          + " ORDER BY a.attnum";

  private static final List<Rule<?>> RULES =
      List.of(
          new Rule<Table>(
              Checks.NO_PRIMARY_KEY,
              TablesWithoutPrimaryKeyCheckOnHost::new,
              (c, schema, t) -> noPrimaryKey(schema, t)),
          new Rule<SequenceState>(
              Checks.SEQUENCE_OVERFLOW, SequenceOverflowCheckOnHost::new, SchemaChecks::sequence),
          new Rule<ForeignKey>(
              Checks.FK_TYPE_MISMATCH,
              ForeignKeysWithUnmatchedColumnTypeCheckOnHost::new,
              SchemaChecks::typeMismatch),
          new Rule<ColumnWithType>(
              Checks.JSON_COLUMN,
              ColumnsWithJsonTypeCheckOnHost::new,
              (c, schema, col) -> json(schema, col)),
          new Rule<Constraint>(
              Checks.NOT_VALID,
              NotValidConstraintsCheckOnHost::new,
              (c, schema, con) -> notValid(schema, con)));

  private SchemaChecks() {}

  /** The rules' names, in report order. */
  static List<String> names() {
    return RULES.stream().map(Rule::check).toList();
  }

  /**
   * Runs every rule on {@code schemas} (empty: every user schema). A rule that fails (a revoked
   * function, a lock) is skipped with the reason; the others still run.
   */
  static void run(Connection c, String[] schemas, List<Finding> findings, List<CheckRun> checks)
      throws SQLException {
    List<String> scope =
        schemas.length > 0 ? List.of(schemas) : Sql.list(c, USER_SCHEMAS, rs -> rs.getString(1));
    Set<String> leftOut = new HashSet<>(Sql.list(c, LEFT_OUT, rs -> rs.getString(1)));
    // the library names its host by URL; the query string may carry credentials
    String url = c.getMetaData().getURL().replaceFirst("\\?.*$", "");
    PgConnection pg = PgConnectionImpl.of(new SameConnection(c), PgHostImpl.ofUrl(url));
    for (Rule<?> rule : RULES) {
      Sql.Attempt<List<Finding>> found =
          Sql.attempt(c, "the " + rule.check() + " rule", () -> run(c, pg, rule, scope, leftOut));
      if (found.ok()) {
        findings.addAll(found.value());
        checks.add(CheckRun.ran(rule.check(), found.value().size(), ""));
      } else {
        checks.add(CheckRun.skipped(rule.check(), found.problem()));
      }
    }
  }

  private static <T extends DbObject> List<Finding> run(
      Connection c, PgConnection pg, Rule<T> rule, List<String> schemas, Set<String> leftOut)
      throws SQLException {
    DatabaseCheckOnHost<T> check = rule.factory().apply(pg);
    List<Finding> out = new ArrayList<>();
    for (String schema : schemas) {
      List<T> found;
      try {
        found = check.check(PgContext.of(schema, 0, Checks.SEQUENCE_MIN_REMAINING_PERCENT));
      } catch (RuntimeException e) {
        // the library wraps the driver's exception
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw e;
      }
      for (T t : found) {
        if (!leftOut.contains(tableOf(t))) {
          out.add(rule.maker().make(c, schema, t));
        }
      }
    }
    return out;
  }

  private static String tableOf(DbObject o) {
    if (o instanceof SequenceState s) {
      return s.getSequenceName();
    }
    return o instanceof io.github.mfvanek.pg.model.table.TableNameAware t
        ? t.getTableName()
        : o.getName();
  }

  private static Finding noPrimaryKey(String schema, Table t) {
    String table = qualify(schema, t.getTableName());
    return new Finding(
        Checks.NO_PRIMARY_KEY,
        Severity.WARN,
        table,
        table,
        "no primary key ("
            + TextTable.bytes(t.getTableSizeInBytes())
            + "): logical replication cannot replicate its UPDATEs and DELETEs, pg_repack cannot"
            + " rebuild it, and duplicate rows cannot be told apart; add one on a unique NOT NULL"
            + " column set",
        IndexRules.evidence("size_bytes", t.getTableSizeInBytes()),
        "");
  }

  private static Finding sequence(Connection c, String schema, SequenceState s)
      throws SQLException {
    String sequence = qualify(schema, s.getSequenceName());
    String type = s.getDataType();
    List<String[]> owners =
        Sql.list(
            c,
            SEQUENCE_OWNER,
            rs ->
                new String[] {
                  rs.getString("table_name"),
                  rs.getString("column_name"),
                  rs.getString("column_type"),
                  rs.getString("deptype")
                },
            sequence);
    List<String> fix = new ArrayList<>();
    String owner = null;
    if (!owners.isEmpty()) {
      String[] o = owners.get(0);
      owner = qualify(schema, o[0]) + "." + Sql.ident(o[1]);
      if (!o[2].equals("bigint")) {
        // an identity column's sequence follows the column's new type
        fix.add(
            "ALTER TABLE "
                + qualify(schema, o[0])
                + " ALTER COLUMN "
                + Sql.ident(o[1])
                + " TYPE bigint;");
      }
      if (!o[3].equals("i") && !type.equals("bigint")) {
        fix.add("ALTER SEQUENCE " + sequence + " AS bigint;");
      }
    } else if (!type.equals("bigint")) {
      fix.add("ALTER SEQUENCE " + sequence + " AS bigint;");
    }
    double remaining = s.getRemainingPercentage();
    return new Finding(
        Checks.SEQUENCE_OVERFLOW,
        remaining <= Checks.SEQUENCE_CRITICAL_REMAINING_PERCENT ? Severity.CRITICAL : Severity.WARN,
        sequence,
        owner == null ? sequence : owner.substring(0, owner.lastIndexOf('.')),
        String.format(Locale.ROOT, "%.2f%% of its %s values are left", remaining, type)
            + (owner == null ? "" : " (it fills " + owner + ")")
            + (fix.isEmpty()
                ? "; it is bigint already: find what consumes values so fast"
                : "; ALTER COLUMN ... TYPE bigint rewrites the table under an exclusive lock"),
        IndexRules.evidence("remaining_percent", remaining, "data_type", type, "column", owner),
        String.join("\n", fix));
  }

  private static Finding typeMismatch(Connection c, String schema, ForeignKey fk)
      throws SQLException {
    String table = qualify(schema, fk.getTableName());
    List<String[]> columns =
        Sql.list(
            c,
            FK_COLUMN_TYPES,
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            table,
            fk.getConstraintName());
    List<String> fix = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (String[] col : columns) {
      fix.add(
          "ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(col[0]) + " TYPE " + col[1] + ";");
      described.add(Sql.ident(col[0]) + " (referenced: " + col[1] + ")");
    }
    return new Finding(
        Checks.FK_TYPE_MISMATCH,
        Severity.WARN,
        table + "." + fk.getConstraintName(),
        table,
        "foreign key columns of another type than the columns they reference: "
            + String.join(", ", described)
            + "; every check and join converts, and values the referenced type cannot hold fail"
            + " late",
        IndexRules.evidence(
            "constraint",
            fk.getConstraintName(),
            "columns",
            columns.stream().map(col -> col[0]).toList()),
        String.join("\n", fix));
  }

  private static Finding json(String schema, ColumnWithType col) {
    String table = qualify(schema, col.getTableName());
    String name = col.getColumnName();
    return new Finding(
        Checks.JSON_COLUMN,
        Severity.INFO,
        table + "." + name,
        table,
        "json column: stored as text and parsed on every access, no GIN index, no equality;"
            + " jsonb is what is usually meant (it drops duplicate keys and key order)",
        IndexRules.evidence("column", name),
        "ALTER TABLE "
            + table
            + " ALTER COLUMN "
            + name
            + " TYPE jsonb USING "
            + name
            + "::jsonb;");
  }

  private static Finding notValid(String schema, Constraint con) {
    String table = qualify(schema, con.getTableName());
    boolean fk = con.getConstraintType() == ConstraintType.FOREIGN_KEY;
    return new Finding(
        Checks.NOT_VALID,
        Severity.WARN,
        table + "." + con.getConstraintName(),
        table,
        (fk ? "foreign key" : "check constraint")
            + " added NOT VALID and never validated: rows written before it may break it, and the"
            + " planner cannot rely on it; VALIDATE takes only a SHARE UPDATE EXCLUSIVE lock",
        IndexRules.evidence("constraint", con.getConstraintName()),
        "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + con.getConstraintName() + ";");
  }

  /** The library names relations as regclass text: unqualified when on the search_path. */
  private static String qualify(String schema, String regclass) {
    String prefix = Sql.ident(schema) + ".";
    return regclass.startsWith(prefix) ? regclass : prefix + regclass;
  }

  /**
   * Hands the library inspect's connection (and so its read-only transaction and lock_timeout); the
   * library's close() after each query leaves it open.
   */
  private static final class SameConnection implements DataSource {
    private final Connection shared;

    SameConnection(Connection c) {
      this.shared =
          (Connection)
              Proxy.newProxyInstance(
                  Connection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                      return null;
                    }
                    try {
                      return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
    }

    @Override
    public Connection getConnection() {
      return shared;
    }

    @Override
    public Connection getConnection(String user, String password) {
      return shared;
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
