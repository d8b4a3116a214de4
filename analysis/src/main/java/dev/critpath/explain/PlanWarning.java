package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.inspect.Severity;
import java.util.Map;

/**
 * A rule that fired on one plan node.
 *
 * @param rule the rule's name (see {@link PlanRules})
 * @param node the node, as "#3 Seq Scan on messages" (# is the node's pre-order number)
 * @param message one line with the numbers that made it fire
 * @param evidence the same numbers for run.json
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlanWarning(
    String rule, Severity severity, String node, String message, Map<String, Object> evidence) {}
