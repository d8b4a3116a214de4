package dev.critpath.http.scenario;

import dev.critpath.Secrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string with {@code ${...}} placeholders, compiled once and rendered per request:
 *
 * <ul>
 *   <li>{@code ${data.column}}: a column of the row the iteration drew from data set {@code data}
 *   <li>{@code ${env.NAME}}, {@code ${env.NAME:-default}}: the environment, read once at load
 *   <li>{@code ${uuid}}, {@code ${vu}}, {@code ${iter}}, {@code ${scenario}}, {@code ${now}}
 *       (epoch ms), {@code ${isotime}}, {@code ${randomInt(a,b)}}
 * </ul>
 *
 * {@code $${} writes a literal {@code ${}.
 */
public final class Template {
  private static final Pattern RANDOM_INT =
      Pattern.compile("randomInt\\((-?\\d+)\\s*,\\s*(-?\\d+)\\)");
  private static final Pattern COLUMN =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|JWT).*");

  private interface Part {
    void append(StringBuilder out, TemplateContext ctx);
  }

  private final String raw;
  private final List<Part> parts;
  private final String constant;
  private final Set<String> datasets;

  private Template(String raw, List<Part> parts, String constant, Set<String> datasets) {
    this.raw = raw;
    this.parts = parts;
    this.constant = constant;
    this.datasets = datasets;
  }

  /**
   * Compiles {@code raw}.
   *
   * @param datasets the data sets the file declares (others are an error)
   * @throws IllegalArgumentException naming the bad placeholder
   */
  public static Template compile(String raw, Set<String> datasets, Map<String, String> env) {
    List<Part> parts = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    StringBuilder literal = new StringBuilder();
    boolean dynamic = false;
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
        continue;
      }
      if (!raw.startsWith("${", i)) {
        literal.append(raw.charAt(i++));
        continue;
      }
      int end = raw.indexOf('}', i + 2);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed ${ in \"" + raw + "\"");
      }
      String expr = raw.substring(i + 2, end).strip();
      i = end + 1;
      if (expr.startsWith("env.")) {
        literal.append(env(expr.substring(4), env));
        continue;
      }
      Part part = dynamicPart(expr, datasets, used);
      dynamic = true;
      if (literal.length() > 0) {
        String text = literal.toString();
        parts.add((out, ctx) -> out.append(text));
        literal.setLength(0);
      }
      parts.add(part);
    }
    if (!dynamic) {
      return new Template(raw, List.of(), literal.toString(), Set.of());
    }
    if (literal.length() > 0) {
      String text = literal.toString();
      parts.add((out, ctx) -> out.append(text));
    }
    return new Template(raw, List.copyOf(parts), null, Set.copyOf(used));
  }

  private static String env(String spec, Map<String, String> env) {
    int dflt = spec.indexOf(":-");
    String name = dflt < 0 ? spec : spec.substring(0, dflt);
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      if (dflt < 0) {
        throw new IllegalArgumentException(
            "${env."
                + name
                + "} is not set: export "
                + name
                + " or write ${env."
                + name
                + ":-default}");
      }
      value = spec.substring(dflt + 2);
    }
    if (SECRET_NAME.matcher(name).matches()) {
      Secrets.register(value);
    }
    return value;
  }

  private static Part dynamicPart(String expr, Set<String> datasets, Set<String> used) {
    switch (expr) {
      case "uuid":
        return (out, ctx) -> out.append(UUID.randomUUID());
      case "vu":
        return (out, ctx) -> out.append(ctx.vu());
      case "iter":
        return (out, ctx) -> out.append(ctx.iteration());
      case "scenario":
        return (out, ctx) -> out.append(ctx.scenario());
      case "now":
        return (out, ctx) -> out.append(System.currentTimeMillis());
      case "isotime":
        return (out, ctx) -> out.append(Instant.now());
      default:
        break;
    }
    Matcher random = RANDOM_INT.matcher(expr);
    if (random.matches()) {
      long lo = Long.parseLong(random.group(1));
      long hi = Long.parseLong(random.group(2));
      if (hi < lo) {
        throw new IllegalArgumentException(
            "randomInt(" + lo + "," + hi + "): the upper bound is below the lower");
      }
      return (out, ctx) -> out.append(ThreadLocalRandom.current().nextLong(lo, hi + 1));
    }
    Matcher column = COLUMN.matcher(expr);
    if (column.matches() && datasets.contains(column.group(1))) {
      String set = column.group(1);
      String col = column.group(2);
      used.add(set);
      return (out, ctx) -> out.append(ctx.column(set, col));
    }
    if (column.matches()) {
      throw new IllegalArgumentException(
          "${"
              + expr
              + "}: no data set \""
              + column.group(1)
              + "\" (declare it under data:"
              + (datasets.isEmpty() ? "" : "; declared: " + String.join(", ", datasets))
              + ")");
    }
    throw new IllegalArgumentException(
        "${"
            + expr
            + "} is not a placeholder critpath knows (data.column, env.NAME, uuid, vu,"
            + " iter, scenario, now, isotime, randomInt(a,b))");
  }

  public boolean isConstant() {
    return constant != null;
  }

  /** The text of a constant template (null when it has placeholders). */
  public String constant() {
    return constant;
  }

  /** The data sets this template reads. */
  public Set<String> datasets() {
    return datasets;
  }

  /** Every (data set, column) this template reads, for checking them against the loaded data. */
  public List<String[]> columns() {
    List<String[]> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\$\\{\\s*" + COLUMN.pattern() + "\\s*}").matcher(raw);
    while (m.find()) {
      if (datasets.contains(m.group(1))) {
        out.add(new String[] {m.group(1), m.group(2)});
      }
    }
    return out;
  }

  public String render(TemplateContext ctx) {
    if (constant != null) {
      return constant;
    }
    StringBuilder out = new StringBuilder(raw.length() + 32);
    for (Part p : parts) {
      p.append(out, ctx);
    }
    return out.toString();
  }

  /** Renders into {@code out} (used by JSON bodies that splice many templates). */
  void appendTo(StringBuilder out, TemplateContext ctx) {
    if (constant != null) {
      out.append(constant);
      return;
    }
    for (Part p : parts) {
      p.append(out, ctx);
    }
  }

  public String raw() {
    return raw;
  }

  @Override
  public String toString() {
    return raw;
  }
}
