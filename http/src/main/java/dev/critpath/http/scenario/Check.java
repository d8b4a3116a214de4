package dev.critpath.http.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * One check on a response, k6's {@code check()} written as data: a subject (status, a JSON body
 * field, a header, the raw body, the duration), an operator and an operand, optionally only for
 * responses with a given status ({@code ifStatus}, as seed 001's rate-limit test checks Retry-After
 * only on 429s).
 */
public record Check(
    String name,
    Subject subject,
    String target,
    JsonPath jsonPath,
    Op op,
    JsonNode operand,
    Pattern regex,
    Integer ifStatus) {

  public enum Subject {
    STATUS,
    JSON,
    HEADER,
    BODY,
    DURATION
  }

  public enum Op {
    EQUALS("equals"),
    NOT_EQUALS("notEquals"),
    IN("in"),
    EXISTS("exists"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    MATCHES("matches"),
    CONTAINS("contains"),
    NOT_EMPTY("notEmpty");

    public final String key;

    Op(String key) {
      this.key = key;
    }
  }

  /** Whether the body has to be kept for this check. */
  public boolean needsBody() {
    return subject == Subject.JSON || subject == Subject.BODY;
  }
}
