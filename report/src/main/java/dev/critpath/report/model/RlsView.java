package dev.critpath.report.model;

import java.util.List;
import java.util.Map;

/**
 * run.json's "rls" section: each read path run with a member of business B's parameters as a member
 * of another business and as anon.
 *
 * @param skipped catalog queries that are not read paths under RLS, with the reason
 */
public record RlsView(
    int passed, int failed, int inconclusive, List<ReadPath> paths, Map<String, String> skipped) {

  /**
   * One read path.
   *
   * @param status pass, fail or inconclusive
   * @param scope addressed (a parameter names B's rows) or caller (auth.uid() picks them)
   * @param params the parameters drawn for the member of B
   * @param member the member of B, and their businesses
   * @param memberRows what the member of B got (the control), null when they got nothing usable
   * @param outsider the member of another business, and their businesses
   * @param evidence why nothing was proven, when the path is inconclusive
   * @param checks one per probe (one "tenant boundary" check, skipped, when none ran)
   */
  public record ReadPath(
      String query,
      String status,
      String scope,
      Map<String, String> params,
      String member,
      Long memberRows,
      String outsider,
      List<Probe> probes,
      String evidence,
      List<CheckResult> checks) {

    public Status verdict() {
      return Status.parse(status);
    }
  }

  /**
   * One identity's run with B's parameters.
   *
   * @param name "member of another business" or "anon"
   * @param rows rows it got; null when refused or broken
   */
  public record Probe(
      String name, String role, String user, String status, Long rows, String evidence) {}
}
