package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads run.json's "rls" section: {queries: [{query, status, scope, params, member, outsider,
 * memberRows, probes: [{name, role, user, status, rows, evidence}], evidence}], skipped: [...]}.
 */
final class RlsReader {
  /** The check an inconclusive path with no probe reports under. */
  static final String NO_PROBE_CHECK = "tenant boundary";

  private RlsReader() {}

  /** The section, or null when the run has none. */
  static RlsView read(JsonNode section) {
    if (section == null || !section.isObject()) {
      return null;
    }
    List<RlsView.ReadPath> paths = new ArrayList<>();
    for (JsonNode q : J.list(J.get(section, "queries"), "query")) {
      List<RlsView.Probe> probes = new ArrayList<>();
      for (JsonNode p : J.list(J.get(q, "probes"), "name")) {
        probes.add(
            new RlsView.Probe(
                J.str(p, "name"),
                J.str(p, "role"),
                J.str(p, "user"),
                J.str(p, "status"),
                J.lng(p, "rows"),
                J.str(p, "evidence")));
      }
      String evidence = J.str(q, "evidence");
      paths.add(
          new RlsView.ReadPath(
              J.str(q, "query"),
              J.str(q, "status"),
              J.str(q, "scope"),
              texts(J.get(q, "params")),
              J.str(J.get(q, "member"), "user"),
              J.lng(q, "memberRows"),
              J.str(J.get(q, "outsider"), "user"),
              probes,
              evidence,
              checks(probes, J.str(q, "status"), evidence)));
    }
    Map<String, String> skipped = new LinkedHashMap<>();
    for (JsonNode s : J.list(J.get(section, "skipped"), "query")) {
      skipped.put(J.str(s, "query"), J.str(s, "reason"));
    }
    return new RlsView(
        count(section, "passed", paths, Status.PASS),
        count(section, "failed", paths, Status.FAIL),
        count(section, "inconclusive", paths, Status.SKIP),
        paths,
        skipped);
  }

  /** One check per probe: its rows (or the refusal) as the actual value, its evidence. */
  private static List<CheckResult> checks(
      List<RlsView.Probe> probes, String status, String evidence) {
    List<CheckResult> out = new ArrayList<>();
    for (RlsView.Probe p : probes) {
      out.add(
          new CheckResult(
              CheckResult.Kind.RLS,
              p.name(),
              Status.parse(p.status()),
              p.rows() == null ? null : Fmt.count(p.rows()) + (p.rows() == 1 ? " row" : " rows"),
              p.evidence() == null || p.user() == null
                  ? p.evidence()
                  : p.evidence() + " (as " + p.user() + ")"));
    }
    if (out.isEmpty()) {
      out.add(
          new CheckResult(
              CheckResult.Kind.RLS, NO_PROBE_CHECK, Status.parse(status), null, evidence));
    }
    return out;
  }

  private static Map<String, String> texts(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), J.str(node, e.getKey())));
    }
    return out;
  }

  /** The producer's count, else the paths with that outcome. */
  private static int count(JsonNode section, String field, List<RlsView.ReadPath> paths, Status s) {
    Long n = J.lng(section, field);
    return n != null ? n.intValue() : (int) paths.stream().filter(p -> p.verdict() == s).count();
  }
}
