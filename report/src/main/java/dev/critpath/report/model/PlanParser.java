package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.run.PlanFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns PostgreSQL's {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)} output into a {@link
 * PlanView}: a tree with per-node exclusive time, the hot node, the indexes read, and a shape that
 * ignores costs and timings so two runs' plans can be compared.
 */
public final class PlanParser {
  private static final String[] DETAIL_KEYS = {
    "Index Cond",
    "Recheck Cond",
    "Filter",
    "Join Filter",
    "Hash Cond",
    "Merge Cond",
    "Rows Removed by Filter",
    "Rows Removed by Index Recheck",
    "Rows Removed by Join Filter",
    "Heap Fetches",
    "Sort Key",
    "Sort Method",
    "Sort Space Type",
    "Hash Batches",
    "Workers Launched",
    "Lossy Heap Blocks"
  };

  private PlanParser() {}

  /**
   * The plan in a raw EXPLAIN file: the output as PostgreSQL prints it ({@code [{"Plan": ...}]}),
   * or any JSON that holds such an object (the first one found, depth first). Null when none.
   */
  public static PlanView parse(JsonNode raw, String file) {
    JsonNode top = findTop(raw);
    if (top == null) {
      return null;
    }
    int[] ids = {0};
    PlanNode root = node(top.get("Plan"), ids);
    Set<String> indexes = new LinkedHashSet<>();
    collectIndexes(root, indexes);
    String shape = shape(root);
    return new PlanView(
        file,
        PlanFingerprint.of(top.get("Plan")),
        shape,
        true,
        List.copyOf(indexes),
        root,
        hottest(root).id(),
        J.num(top, "Execution Time"),
        J.num(top, "Planning Time"),
        root.sharedHit() == null ? null : root.sharedHit().doubleValue(),
        root.sharedRead() == null ? null : root.sharedRead().doubleValue());
  }

  /** The node with the largest exclusive time (the root when the plan has no timings). */
  public static PlanNode hottest(PlanNode root) {
    PlanNode best = root;
    List<PlanNode> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      PlanNode n = stack.remove(stack.size() - 1);
      if (n.exclusiveMs() != null
          && (best.exclusiveMs() == null || n.exclusiveMs() > best.exclusiveMs())) {
        best = n;
      }
      stack.addAll(n.children());
    }
    return best;
  }

  /** Depth-first list of all nodes. */
  public static List<PlanNode> flatten(PlanNode root) {
    List<PlanNode> out = new ArrayList<>();
    addAll(root, out);
    return out;
  }

  private static void addAll(PlanNode n, List<PlanNode> out) {
    out.add(n);
    n.children().forEach(c -> addAll(c, out));
  }

  private static JsonNode findTop(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      JsonNode plan = node.get("Plan");
      if (plan != null && plan.isObject()) {
        return node;
      }
      if (node.has("Node Type")) {
        // a bare plan node: wrap it so callers see one shape
        com.fasterxml.jackson.databind.node.ObjectNode wrapper =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        wrapper.set("Plan", node);
        return wrapper;
      }
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        JsonNode found = findTop(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static PlanNode node(JsonNode n, int[] ids) {
    int id = ids[0]++;
    List<PlanNode> children = new ArrayList<>();
    JsonNode plans = n.get("Plans");
    if (plans != null) {
      for (JsonNode child : plans) {
        children.add(node(child, ids));
      }
    }
    Long loops = J.lng(n, "Actual Loops");
    double loopCount = loops == null || loops == 0 ? 1 : loops;
    Double perLoop = J.num(n, "Actual Total Time");
    Double total = perLoop == null ? null : perLoop * loopCount;
    Double exclusive = null;
    if (total != null) {
      double childTime = 0;
      for (PlanNode c : children) {
        childTime += c.totalMs() == null ? 0 : c.totalMs();
      }
      exclusive = Math.max(0, total - childTime);
    }
    Double rows = J.num(n, "Actual Rows");
    Double planRows = J.num(n, "Plan Rows");
    List<String> details = new ArrayList<>();
    for (String key : DETAIL_KEYS) {
      JsonNode v = n.get(key);
      if (v != null && !v.isNull()) {
        String text = v.isArray() ? String.join(", ", J.strings(v)) : v.asText();
        if (!(v.isNumber() && v.asDouble() == 0)) {
          details.add(key + ": " + text);
        }
      }
    }
    return new PlanNode(
        id,
        J.str(n, "Node Type"),
        label(n),
        J.str(n, "Relation Name"),
        J.str(n, "Index Name"),
        total,
        exclusive,
        rows == null ? null : rows * loopCount,
        planRows == null ? null : planRows * loopCount,
        loops,
        J.lng(n, "Shared Hit Blocks"),
        J.lng(n, "Shared Read Blocks"),
        details,
        children);
  }

  /** The node as EXPLAIN's text format names it. */
  static String label(JsonNode n) {
    String type = J.str(n, "Node Type");
    String rel = J.str(n, "Relation Name");
    String index = J.str(n, "Index Name");
    String joinType = J.str(n, "Join Type");
    String strategy = J.str(n, "Strategy");
    StringBuilder sb = new StringBuilder();
    if ("Aggregate".equals(type) && strategy != null) {
      sb.append(
          "Hashed".equals(strategy)
              ? "HashAggregate"
              : "Sorted".equals(strategy)
                  ? "GroupAggregate"
                  : "Mixed".equals(strategy) ? "MixedAggregate" : "Aggregate");
    } else if ("ModifyTable".equals(type) && J.str(n, "Operation") != null) {
      sb.append(J.str(n, "Operation"));
    } else if (joinType != null && !"Inner".equals(joinType) && type != null) {
      // "Hash Join" + Left -> "Hash Left Join", "Nested Loop" + Anti -> "Nested Loop Anti Join"
      sb.append(
          type.endsWith(" Join")
              ? type.replace(" Join", " " + joinType + " Join")
              : type + " " + joinType + " Join");
    } else {
      sb.append(type);
    }
    if ("Backward".equals(J.str(n, "Scan Direction"))) {
      sb.append(" Backward");
    }
    if (index != null) {
      sb.append(rel == null ? " on " : " using ").append(index);
    }
    if (rel != null) {
      sb.append(" on ").append(rel);
    } else if (J.str(n, "Function Name") != null) {
      sb.append(" on ").append(J.str(n, "Function Name"));
    } else if (J.str(n, "CTE Name") != null) {
      sb.append(" on ").append(J.str(n, "CTE Name"));
    } else if ("Subquery Scan".equals(type) && J.str(n, "Alias") != null) {
      sb.append(" on ").append(J.str(n, "Alias"));
    }
    return sb.toString();
  }

  /** Labels only, nested: {@code Limit → Index Scan using i on t}; branches in brackets. */
  static String shape(PlanNode n) {
    if (n.children().isEmpty()) {
      return n.label();
    }
    if (n.children().size() == 1) {
      return n.label() + " → " + shape(n.children().get(0));
    }
    List<String> parts = new ArrayList<>();
    n.children().forEach(c -> parts.add(shape(c)));
    return n.label() + " → [" + String.join(", ", parts) + "]";
  }

  private static void collectIndexes(PlanNode n, Set<String> out) {
    if (n.index() != null) {
      out.add(n.index());
    }
    n.children().forEach(c -> collectIndexes(c, out));
  }
}
