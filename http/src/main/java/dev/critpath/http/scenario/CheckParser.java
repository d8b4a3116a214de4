package dev.critpath.http.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One check of a request: its subject (status, json, header, body, duration) and operator. */
final class CheckParser {
  private static final Set<String> CHECK_SUBJECTS =
      Set.of("status", "json", "header", "body", "duration");

  private CheckParser() {}

  static Check parse(YamlNode c) {
    if (!c.isObject()) {
      throw c.error("a check is a mapping, e.g. {status: 200} or {json: message_id}");
    }
    String subjectKey = subjectKey(c);
    Set<String> allowed = new LinkedHashSet<>(Set.of("name", "ifStatus", subjectKey));
    allowed.addAll(opKeys());
    c.allowOnly(allowed, "a check");
    Check.Subject subject = Check.Subject.valueOf(subjectKey.toUpperCase(Locale.ROOT));
    YamlNode subjectNode = c.get(subjectKey);
    YamlNode ops = c;
    String target = null;
    JsonPath path = null;
    if (subject == Check.Subject.JSON || subject == Check.Subject.HEADER) {
      target = subjectNode.require().text();
      if (subject == Check.Subject.JSON) {
        try {
          path = JsonPath.parse(target);
        } catch (IllegalArgumentException e) {
          throw subjectNode.error(e.getMessage());
        }
      }
    } else if (subjectNode.isObject()) {
      ops = subjectNode.allowOnly(opKeys(), "a check's operators");
    }
    Operator operator = operator(c, subject, subjectNode, ops);
    Check.Op op = operator.op();
    JsonNode operand = operator.operand();
    Pattern regex = validated(c, op, operand);
    Integer ifStatus = c.has("ifStatus") ? (int) c.get("ifStatus").integer(0, 100) : null;
    String name = c.get("name").text(defaultCheckName(subject, target, op, operand, ifStatus));
    return new Check(name, subject, target, path, op, operand, regex, ifStatus);
  }

  /** The key naming what the check tests; exactly one. */
  private static String subjectKey(YamlNode c) {
    String subjectKey = null;
    for (String key : c.entries().keySet()) {
      if (CHECK_SUBJECTS.contains(key)) {
        if (subjectKey != null) {
          throw c.error(
              "a check tests one thing: "
                  + subjectKey
                  + " and "
                  + key
                  + " given (split it in two)");
        }
        subjectKey = key;
      }
    }
    if (subjectKey == null) {
      throw c.error("a check needs one of status:, json:, header:, body:, duration:");
    }
    return subjectKey;
  }

  private record Operator(Check.Op op, JsonNode operand) {}

  /** The operator given, or the one the subject implies ({status: 200} is equals). */
  private static Operator operator(
      YamlNode c, Check.Subject subject, YamlNode subjectNode, YamlNode ops) {
    Check.Op op = null;
    JsonNode operand = null;
    for (Check.Op candidate : Check.Op.values()) {
      if (ops.has(candidate.key)) {
        if (op != null) {
          throw c.error("a check has one operator: " + op.key + " and " + candidate.key + " given");
        }
        op = candidate;
        operand = ops.get(candidate.key).json();
      }
    }
    if (op == null) {
      if (subject == Check.Subject.STATUS && !subjectNode.isObject()) {
        op = subjectNode.isArray() ? Check.Op.IN : Check.Op.EQUALS;
        operand = subjectNode.json();
      } else if (subject == Check.Subject.BODY && subjectNode.isText()) {
        op = Check.Op.CONTAINS;
        operand = subjectNode.json();
      } else if (subject == Check.Subject.JSON || subject == Check.Subject.HEADER) {
        op = Check.Op.EXISTS;
        operand = JsonNodeFactory.instance.booleanNode(true);
      } else {
        throw c.error("the check needs an operator (" + String.join(", ", opKeys()) + ")");
      }
    }
    return new Operator(op, operand);
  }

  /** Refuses an operand the operator cannot use; the compiled pattern for matches:, else null. */
  private static Pattern validated(YamlNode c, Check.Op op, JsonNode operand) {
    if (op == Check.Op.MATCHES) {
      try {
        return Pattern.compile(operand.asText());
      } catch (PatternSyntaxException e) {
        throw c.error("matches: not a regular expression: " + e.getDescription());
      }
    }
    if ((op == Check.Op.GT || op == Check.Op.GTE || op == Check.Op.LT || op == Check.Op.LTE)
        && !operand.isNumber()) {
      throw c.error(op.key + ": needs a number");
    }
    if (op == Check.Op.IN && !operand.isArray()) {
      throw c.error("in: needs a list");
    }
    return null;
  }

  private static Set<String> opKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (Check.Op op : Check.Op.values()) {
      keys.add(op.key);
    }
    return keys;
  }

  private static String defaultCheckName(
      Check.Subject subject, String target, Check.Op op, JsonNode operand, Integer ifStatus) {
    String what = subject.name().toLowerCase(Locale.ROOT) + (target == null ? "" : " " + target);
    String how =
        op == Check.Op.EXISTS && operand.asBoolean()
            ? "exists"
            : op == Check.Op.EXISTS
                ? "is absent"
                : op == Check.Op.NOT_EMPTY
                    ? "is not empty"
                    : op.key + " " + (operand.isTextual() ? operand.asText() : operand.toString());
    return what + " " + how + (ifStatus == null ? "" : " (on " + ifStatus + ")");
  }
}
