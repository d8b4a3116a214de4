package dev.critpath.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.critpath.http.scenario.Check;
import dev.critpath.http.scenario.CustomMetric;
import java.util.concurrent.TimeUnit;

/** Evaluates checks and custom metrics on responses. */
final class ResponseChecks {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResponseChecks() {}

  /** Whether the check applies to this response at all ({@code ifStatus}). */
  static boolean applies(Check c, Response r) {
    return c.ifStatus() == null || c.ifStatus() == r.status;
  }

  static boolean passes(Check c, Response r) {
    JsonNode actual = subject(c, r);
    JsonNode operand = c.operand();
    switch (c.op()) {
      case EXISTS:
        return present(actual) == operand.asBoolean(true);
      case EQUALS:
        return present(actual) && same(actual, operand);
      case NOT_EQUALS:
        return !present(actual) || !same(actual, operand);
      case IN:
        if (!present(actual)) {
          return false;
        }
        for (JsonNode option : operand) {
          if (same(actual, option)) {
            return true;
          }
        }
        return false;
      case GT:
      case GTE:
      case LT:
      case LTE:
        return compare(c.op(), actual, operand.asDouble());
      case MATCHES:
        return present(actual) && c.regex().matcher(text(actual)).find();
      case CONTAINS:
        if (actual.isArray()) {
          for (JsonNode item : actual) {
            if (same(item, operand)) {
              return true;
            }
          }
          return false;
        }
        return present(actual) && text(actual).contains(operand.asText());
      case NOT_EMPTY:
        return present(actual)
            && (actual.isContainerNode() ? actual.size() > 0 : !text(actual).isEmpty());
      default:
        return false;
    }
  }

  private static JsonNode subject(Check c, Response r) {
    switch (c.subject()) {
      case STATUS:
        return r.isTransportError() ? MissingNode.getInstance() : NODES.numberNode(r.status);
      case HEADER:
        {
          String v = r.header(c.target());
          return v == null ? MissingNode.getInstance() : NODES.textNode(v);
        }
      case JSON:
        return c.jsonPath().find(r.json());
      case BODY:
        return r.body == null ? MissingNode.getInstance() : NODES.textNode(r.text());
      default:
        return NODES.numberNode(TimeUnit.NANOSECONDS.toMicros(r.serviceNanos()) / 1000.0);
    }
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull();
  }

  private static String text(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static boolean same(JsonNode actual, JsonNode expected) {
    Double a = number(actual);
    Double e = number(expected);
    if (a != null && e != null) {
      return a.doubleValue() == e.doubleValue();
    }
    return text(actual).equals(text(expected));
  }

  private static Double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean compare(Check.Op op, JsonNode actual, double bound) {
    Double v = present(actual) ? number(actual) : null;
    if (v == null) {
      return false;
    }
    switch (op) {
      case GT:
        return v > bound;
      case GTE:
        return v >= bound;
      case LT:
        return v < bound;
      default:
        return v <= bound;
    }
  }

  /**
   * The sample a custom metric takes from a response: {trues, total} for rates, {sum, 0} for
   * counters; null when the response does not carry the field.
   */
  static double[] sample(CustomMetric m, Response r) {
    JsonNode body = r.json();
    if (m.hits() != null) {
      JsonNode hits = m.hits().find(body);
      JsonNode misses = m.misses().find(body);
      if (!hits.isNumber() || !misses.isNumber()) {
        return null;
      }
      return new double[] {hits.asDouble(), hits.asDouble() + misses.asDouble()};
    }
    JsonNode v = m.value().find(body);
    if (!present(v)) {
      return null;
    }
    if (m.kind() == dev.critpath.http.scenario.MetricKind.COUNTER) {
      Double n = number(v);
      return n == null ? null : new double[] {n, 0};
    }
    boolean truthy = v.isBoolean() ? v.asBoolean() : number(v) != null && number(v) != 0;
    return new double[] {truthy ? 1 : 0, 1};
  }
}
