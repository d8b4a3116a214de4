package dev.critpath.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the query catalog: a named critical path with everything needed to benchmark,
 * explain and report it. Built by {@link QueryCatalog} from a SQL file with a header.
 *
 * @param name unique in the catalog; the key of reports and comparisons
 * @param about one line for humans (may be empty)
 * @param source the file it came from, as shown to users ({@code queries/message_fetch.sql})
 * @param role who the query runs as
 * @param subjectParam the parameter whose value is the user id in the JWT claims (auth.uid()), or
 *     null when the role has no user
 * @param params parameter declarations, in header order
 * @param expectations plan/index expectations, uninterpreted here
 * @param targets latency targets
 * @param write whether and how it writes
 * @param cleanupSql SQL run as the owner after each iteration when {@code write} is CLEANUP
 * @param variants the ways the benchmark runs it, main variant first
 * @param singleCaller one caller at a time in real use (an admin's batch): measured for latency
 *     only, never at the throughput levels
 * @param statement the SQL and its JDBC form
 */
public record CatalogQuery(
    String name,
    String about,
    String source,
    Role role,
    String subjectParam,
    List<ParamDecl> params,
    List<Expectation> expectations,
    List<Target> targets,
    WriteMode write,
    String cleanupSql,
    List<Variant> variants,
    boolean singleCaller,
    NamedSql statement) {

  public CatalogQuery {
    params = List.copyOf(params);
    expectations = List.copyOf(expectations);
    targets = List.copyOf(targets);
    variants = List.copyOf(variants);
  }

  /** The SQL as written in the file, with {@code :name} parameters. */
  public String sql() {
    return statement.sql();
  }

  /** The SQL with {@code ?} placeholders, to prepare; bind it with a {@link ParamSampler}. */
  public String jdbcSql() {
    return statement.jdbcSql();
  }

  /** {@code file:line} of the SQL statement, for messages about it. */
  public String sqlLocation() {
    return source + ":" + statement.line();
  }

  /** Every declared parameter name, in declaration order. */
  public List<String> paramNames() {
    List<String> names = new ArrayList<>();
    params.forEach(p -> names.addAll(p.names()));
    return names;
  }

  /** The variant that carries the targets: the first declared (rls_on unless told otherwise). */
  public Variant mainVariant() {
    return variants.get(0);
  }

  /** The same entry under another name: for Java twins of a catalog query (jOOQ, JDBC code). */
  public CatalogQuery withName(String otherName, String otherAbout) {
    return new CatalogQuery(
        otherName,
        otherAbout,
        source,
        role,
        subjectParam,
        params,
        expectations,
        targets,
        write,
        cleanupSql,
        variants,
        singleCaller,
        statement);
  }
}
