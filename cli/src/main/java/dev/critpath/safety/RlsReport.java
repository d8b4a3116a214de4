package dev.critpath.safety;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * run.json's "rls" section: for each read path of the catalog, whether a member of another business
 * and anon were kept from the rows a member of the owning business sees.
 *
 * @param passed queries whose every probe held
 * @param failed queries where some identity got rows it must not see
 * @param inconclusive queries the check could not prove anything about (see their evidence)
 * @param skipped catalog queries that are not read paths under RLS
 */
public record RlsReport(
    int passed, int failed, int inconclusive, List<Query> queries, List<Skipped> skipped) {

  public RlsReport {
    queries = List.copyOf(queries);
    skipped = List.copyOf(skipped);
  }

  static RlsReport of(List<Query> queries, List<Skipped> skipped) {
    return new RlsReport(
        count(queries, Status.PASS),
        count(queries, Status.FAIL),
        count(queries, Status.INCONCLUSIVE),
        queries,
        skipped);
  }

  /** The queries that leaked, by name. */
  public List<String> failedQueries() {
    return queries.stream().filter(q -> q.status() == Status.FAIL).map(Query::query).toList();
  }

  private static int count(List<Query> queries, Status status) {
    return (int) queries.stream().filter(q -> q.status() == status).count();
  }

  /** The outcome of a probe, and of a query (its worst probe). */
  public enum Status {
    PASS,
    FAIL,
    /** Nothing was proven: the member of the owning business saw no row, or a run broke. */
    INCONCLUSIVE;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a query's rows are chosen, which decides what "none of B's rows" means. */
  public enum Scope {
    /**
     * A parameter (a conversation, a business) names the rows: with B's parameters, an outsider
     * must get exactly what ids that match no row give (no rows, or a count of 0).
     */
    ADDRESSED,
    /**
     * Only the caller's identity (auth.uid()) picks the rows: an outsider gets rows of their own,
     * none of which may be a row the member of B gets.
     */
    CALLER;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One read path's check.
   *
   * @param params the parameters that address business B's rows, as drawn for a member of B
   * @param member the member of B the parameters were drawn for (null when none was found)
   * @param outsider a member of another business, of none of the member's businesses
   * @param memberRows rows the member of B got with those parameters (the control)
   * @param probes the outsider's and anon's runs; empty when the control proved nothing
   * @param evidence why the query is inconclusive, when it is
   */
  public record Query(
      String query,
      Status status,
      Scope scope,
      Map<String, String> params,
      Identity member,
      Identity outsider,
      Integer memberRows,
      List<Probe> probes,
      String evidence) {

    public Query {
      probes = List.copyOf(probes);
    }
  }

  /** A user and the businesses they belong to. */
  public record Identity(String user, List<String> businesses) {}

  /**
   * One identity's run of the query with B's parameters.
   *
   * @param name who ran it: "member of another business" or "anon"
   * @param role the PostgreSQL role it ran as
   * @param user auth.uid() during the run, null for anon
   * @param rows rows returned; null when the run was refused or broke
   * @param evidence what was observed, for the report
   */
  public record Probe(
      String name, String role, String user, Status status, Integer rows, String evidence) {}

  /** A catalog query the check leaves out, and why. */
  public record Skipped(String query, String reason) {}
}
