package dev.critpath.safety;

import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.catalog.ParamDecl;
import dev.critpath.catalog.ParamSampler;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Role;
import dev.critpath.catalog.SamplerSpec;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.safety.RlsReport.Identity;
import dev.critpath.safety.RlsReport.Probe;
import dev.critpath.safety.RlsReport.Scope;
import dev.critpath.safety.RlsReport.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Proves the tenant boundary of every read path: a member of business A gets none of business B's
 * rows, and anon gets nothing private. For each read query of the catalog that runs as a signed-in
 * user, its own samplers draw parameters for a member of B (a conversation, a business of theirs);
 * the query then runs with those parameters as that member (the control: it must see rows, or the
 * check proves nothing and says "inconclusive"), as a member of another business, and as anon.
 * Every run is a read-only transaction that is rolled back.
 */
public final class RlsVerification {
  /** Seeds the samplers, so that runs repeat. */
  public static final long SEED = 42;

  /** Draws tried until one gives the member of B rows to protect. */
  public static final int MAX_DRAWS = 20;

  /** The outsider's probe: a member of another business with B's parameters. */
  public static final String OUTSIDER_PROBE = "member of another business";

  public static final String ANON_PROBE = "anon";

  /** Stands in for every id of an addressed query: no seeded row has it (entity code ffffffff). */
  static final UUID NO_ROW = UUID.fromString("ffffffff-0000-4000-8000-000000000000");

  private final Connection owner;
  private final DatasetSummary summary;
  private final Tenants tenants;

  private RlsVerification(Connection owner, DatasetSummary summary) {
    this.owner = owner;
    this.summary = summary;
    this.tenants = new Tenants(owner);
  }

  /** Checks every query of {@code catalog} on {@code db}, which must hold a seeded dataset. */
  public static RlsReport run(Database db, QueryCatalog catalog) throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      RlsVerification check = new RlsVerification(c, DatasetSummaries.read(c).orElse(null));
      List<RlsReport.Query> checked = new ArrayList<>();
      List<RlsReport.Skipped> skipped = new ArrayList<>();
      for (CatalogQuery q : catalog.queries()) {
        String reason = skipReason(q);
        if (reason == null) {
          checked.add(check.verify(q));
        } else {
          skipped.add(new RlsReport.Skipped(q.name(), reason));
        }
      }
      c.rollback();
      return RlsReport.of(checked, skipped);
    }
  }

  /** Why a query is not a read path a tenant boundary applies to; null when it is one. */
  static String skipReason(CatalogQuery q) {
    if (q.write().writes()) {
      return "writes (" + q.write().id() + "): not a read path";
    }
    if (q.role() != Role.AUTHENTICATED || q.subjectParam() == null) {
      return "runs as "
          + q.role().id()
          + (q.role().rlsApplies() ? " without a user" : ", which bypasses RLS by design");
    }
    return null;
  }

  private RlsReport.Query verify(CatalogQuery q) throws SQLException {
    ParamSampler sampler = ParameterSource.prepare(q, owner, summary).sampler(SEED);
    Scope scope = scope(q, sampler);
    String role = q.role().pgRole();
    String lastProblem = null;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      if (draw > 0) {
        sampler.next();
      }
      Map<String, Object> values = values(q, sampler);
      RlsAnswer control = RlsAnswer.ask(owner, q, role, sampler.subject(), values);
      if (!control.answered()) {
        lastProblem = "the member of B's own run " + control.problem();
        continue;
      }
      RlsAnswer nothing = scope == Scope.ADDRESSED ? nowhere(q, values) : RlsAnswer.NO_ROWS;
      if (!nothing.answered()) {
        return inconclusive(q, scope, values, null, "ids that match nothing: " + nothing.problem());
      }
      if (control.sameRows(nothing)) {
        continue; // B's member sees only what anyone would: nothing to protect in this draw
      }
      Identity member = tenants.of(sampler.subject());
      Identity outsider = tenants.outsider(member);
      if (outsider == null) {
        return inconclusive(
            q, scope, values, member, "every user shares a business with the member of B");
      }
      Probe cross =
          probe(
              OUTSIDER_PROBE,
              role,
              outsider.user(),
              RlsAnswer.ask(owner, q, role, outsider.user(), values),
              scope,
              control,
              nothing);
      Probe anon =
          probe(
              ANON_PROBE,
              Role.ANON.pgRole(),
              null,
              RlsAnswer.ask(owner, q, Role.ANON.pgRole(), null, values),
              scope,
              control,
              nothing);
      return new RlsReport.Query(
          q.name(),
          worst(cross.status(), anon.status()),
          scope,
          shown(values),
          member,
          outsider,
          control.size(),
          List.of(cross, anon),
          null);
    }
    return inconclusive(
        q,
        scope,
        values(q, sampler),
        null,
        lastProblem != null
            ? lastProblem
            : "in "
                + MAX_DRAWS
                + " parameter draws the member of B never saw a row of their own: nothing to"
                + " protect");
  }

  /**
   * Judges one identity's answer. An addressed query must give exactly what ids that match no row
   * give; a caller-scoped one may return the identity's own rows but none of the member of B's. A
   * refusal always passes; an error proves nothing.
   */
  private static Probe probe(
      String name,
      String role,
      String user,
      RlsAnswer answer,
      Scope scope,
      RlsAnswer control,
      RlsAnswer nothing) {
    if (!answer.answered()) {
      Status status = answer.refused() ? Status.PASS : Status.INCONCLUSIVE;
      return new Probe(name, role, user, status, null, answer.problem());
    }
    long leaked = answer.shared(control);
    boolean held = scope == Scope.ADDRESSED ? answer.sameRows(nothing) : leaked == 0;
    return new Probe(
        name,
        role,
        user,
        held ? Status.PASS : Status.FAIL,
        answer.size(),
        evidence(scope, held, answer, leaked, control, nothing));
  }

  private static String evidence(
      Scope scope,
      boolean held,
      RlsAnswer answer,
      long leaked,
      RlsAnswer control,
      RlsAnswer nothing) {
    String theirs = " (the member of B: " + rows(control.size()) + ")";
    String shared = (leaked == 0 ? "none" : Long.toString(leaked)) + " of them the member of B's";
    if (scope == Scope.CALLER) {
      return rows(answer.size()) + ", " + shared + theirs;
    }
    return held
        ? rows(answer.size()) + ", as for ids that match nothing" + theirs
        : rows(answer.size())
            + " where ids that match nothing give "
            + rows(nothing.size())
            + ", "
            + shared
            + theirs;
  }

  private static String rows(int n) {
    return n + (n == 1 ? " row" : " rows");
  }

  /** The answer for ids that match no row: every id replaced, run as the owner (RLS bypassed). */
  private RlsAnswer nowhere(CatalogQuery q, Map<String, Object> values) throws SQLException {
    Map<String, Object> none = new LinkedHashMap<>(values);
    none.replaceAll((name, v) -> v instanceof UUID ? NO_ROW : v);
    return RlsAnswer.ask(owner, q, Role.OWNER.pgRole(), NO_ROW.toString(), none);
  }

  /**
   * ADDRESSED when a parameter other than the caller holds a seeded or sampled id (a conversation,
   * a business), else CALLER.
   */
  static Scope scope(CatalogQuery q, ParamSampler sampler) {
    for (ParamDecl p : q.params()) {
      if (p.spec() instanceof SamplerSpec.RandomUuid) {
        continue; // a fresh uuid() per call addresses nothing
      }
      for (String name : p.names()) {
        if (!name.equals(q.subjectParam()) && sampler.value(name) instanceof UUID) {
          return Scope.ADDRESSED;
        }
      }
    }
    return Scope.CALLER;
  }

  private static Map<String, Object> values(CatalogQuery q, ParamSampler sampler) {
    Map<String, Object> values = new LinkedHashMap<>();
    q.paramNames().forEach(n -> values.put(n, sampler.value(n)));
    return values;
  }

  private static Map<String, String> shown(Map<String, Object> values) {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach((k, v) -> shown.put(k, String.valueOf(v)));
    return shown;
  }

  private static RlsReport.Query inconclusive(
      CatalogQuery q, Scope scope, Map<String, Object> values, Identity member, String why) {
    return new RlsReport.Query(
        q.name(), Status.INCONCLUSIVE, scope, shown(values), member, null, null, List.of(), why);
  }

  private static Status worst(Status a, Status b) {
    return a == Status.FAIL || b == Status.FAIL
        ? Status.FAIL
        : a == Status.INCONCLUSIVE || b == Status.INCONCLUSIVE ? Status.INCONCLUSIVE : Status.PASS;
  }
}
