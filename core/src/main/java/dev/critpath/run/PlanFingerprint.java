package dev.critpath.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The fingerprint of an EXPLAIN plan's shape, as run.json records it: node types, join and scan
 * kinds, relations and indexes, children in order; not costs, rows or times, so the same plan gives
 * the same fingerprint on any data. The explain stage writes it and the report computes it from raw
 * plan files, so both must come from here.
 */
public final class PlanFingerprint {
  /** Plan fields that identify its shape; everything else (costs, rows, times) is left out. */
  private static final List<String> SHAPE_FIELDS =
      List.of(
          "Node Type",
          "Parent Relationship",
          "Subplan Name",
          "Join Type",
          "Strategy",
          "Partial Mode",
          "Operation",
          "Scan Direction",
          "Relation Name",
          "Index Name",
          "CTE Name",
          "Function Name");

  private PlanFingerprint() {}

  /**
   * The fingerprint of a plan.
   *
   * @param plan the plan's root node (the {@code "Plan"} field of EXPLAIN's JSON output)
   * @return 16 hex digits
   */
  public static String of(JsonNode plan) {
    StringBuilder canonical = new StringBuilder();
    canonical(plan, canonical);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The canonical text of the plan's shape, field by field, children in order. */
  private static void canonical(JsonNode node, StringBuilder out) {
    out.append('(');
    for (String field : SHAPE_FIELDS) {
      if (node.has(field)) {
        String value = node.get(field).asText();
        if (field.equals("Subplan Name")) {
          value = value.replaceAll("\\s*\\(.*\\)$", ""); // "InitPlan 1 (returns $0)" → "InitPlan 1"
        }
        out.append(field).append('=').append(value).append(';');
      }
    }
    for (JsonNode child : node.path("Plans")) {
      canonical(child, out);
    }
    out.append(')');
  }
}
