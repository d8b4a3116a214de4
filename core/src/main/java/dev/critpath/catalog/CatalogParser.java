package dev.critpath.catalog;

import dev.critpath.UserError;
import dev.critpath.dataset.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one catalog file: a header of {@code -- key: value} comment lines, then one SQL statement.
 * Every problem is a {@link UserError} that names {@code file:line} and the reason.
 */
final class CatalogParser {
  static final List<String> KEYS =
      List.of(
          "name",
          "about",
          "role",
          "param",
          "expect",
          "target",
          "write",
          "cleanup",
          "variants",
          "concurrency");
  private static final Set<String> REPEATABLE = Set.of("param", "expect", "target");

  private static final Pattern FIELD = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*:(.*)");
  private static final Pattern FIRST_WORD = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9_-]*)\\b.*");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern ROLE = Pattern.compile("(\\w+)(?:\\s+as\\s+:(\\w+))?");
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SPEC = Pattern.compile("([a-z_]+)\\s*\\(");
  private static final Pattern DISTRIBUTION =
      Pattern.compile("(?:(uniform)|zipf\\s+([0-9]+(?:\\.[0-9]+)?))");

  private record Field(String key, StringBuilder value, int line) {}

  private final String source;

  private CatalogParser(String source) {
    this.source = source;
  }

  static CatalogQuery parse(String source, String content) {
    try {
      return new CatalogParser(source).parse(content);
    } catch (SyntaxProblem p) {
      throw new UserError(source + ":" + p.line + ": " + p.getMessage());
    }
  }

  private CatalogQuery parse(String content) throws SyntaxProblem {
    String[] lines = content.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    List<Field> fields = new ArrayList<>();
    int body = lines.length;
    for (int i = 0; i < lines.length; i++) {
      String trimmed = lines[i].strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.startsWith("--")) {
        body = i;
        break;
      }
      String text = trimmed.substring(2);
      Matcher f = FIELD.matcher(text);
      boolean continuation = text.startsWith("  ") || text.startsWith("\t");
      if (continuation && !fields.isEmpty()) {
        if (!text.isBlank()) {
          fields.get(fields.size() - 1).value().append(' ').append(text.strip());
        }
      } else if (f.matches()) {
        String key = f.group(1).toLowerCase(Locale.ROOT);
        if (!KEYS.contains(key)) {
          throw new SyntaxProblem(
              i + 1, "unknown header '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        }
        fields.add(new Field(key, new StringBuilder(f.group(2).strip()), i + 1));
      } else {
        Matcher w = FIRST_WORD.matcher(text);
        if (w.matches() && KEYS.contains(w.group(1).toLowerCase(Locale.ROOT))) {
          throw new SyntaxProblem(
              i + 1, "missing ':' after '" + w.group(1) + "' (write '-- " + w.group(1) + ": ...')");
        }
        // any other comment line in the header is free text for readers
      }
    }
    if (body == lines.length) {
      throw new SyntaxProblem(lines.length, "no SQL statement after the header");
    }
    StringBuilder sqlText = new StringBuilder();
    for (int i = body; i < lines.length; i++) {
      sqlText.append(lines[i]).append('\n');
    }
    NamedSql statement = NamedSql.parse(sqlText.toString(), body + 1);
    return build(fields, statement);
  }

  private CatalogQuery build(List<Field> fields, NamedSql statement) throws SyntaxProblem {
    Map<String, Field> single = new LinkedHashMap<>();
    List<ParamDecl> params = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (Field f : fields) {
      String value = f.value().toString().strip();
      if (value.isEmpty()) {
        throw new SyntaxProblem(f.line(), "'" + f.key() + ":' has no value");
      }
      if (!REPEATABLE.contains(f.key())) {
        Field earlier = single.putIfAbsent(f.key(), f);
        if (earlier != null) {
          throw new SyntaxProblem(
              f.line(), "'" + f.key() + ":' given twice (first at line " + earlier.line() + ")");
        }
        continue;
      }
      switch (f.key()) {
        case "param" -> params.add(param(value, f.line()));
        case "expect" -> expectations.add(new Expectation(value, source, f.line()));
        default -> {
          String[] why = new String[1];
          Target t = Target.parse(value, source, f.line(), why);
          if (t == null) {
            throw new SyntaxProblem(f.line(), why[0]);
          }
          targets.add(t);
        }
      }
    }

    Field nameField = single.get("name");
    if (nameField == null) {
      throw new SyntaxProblem(1, "no '-- name:' header (every catalog file starts with one)");
    }
    String name = nameField.value().toString().strip();
    if (!NAME.matcher(name).matches()) {
      throw new SyntaxProblem(
          nameField.line(),
          "query name '"
              + name
              + "' must be lower case letters, digits and _ starting with a letter (at most 63)");
    }

    Set<String> declared = new HashSet<>();
    for (ParamDecl p : params) {
      for (String n : p.names()) {
        if (!declared.add(n)) {
          throw new SyntaxProblem(p.line(), "parameter '" + n + "' declared twice");
        }
      }
    }

    Role role = Role.OWNER;
    String subject = null;
    Field roleField = single.get("role");
    if (roleField != null) {
      String text = roleField.value().toString().strip();
      Matcher m = ROLE.matcher(text);
      role = m.matches() ? Role.parse(m.group(1)) : null;
      if (role == null) {
        throw new SyntaxProblem(
            roleField.line(),
            "cannot read role '"
                + text
                + "': write authenticated as :PARAM, anon, service_role or owner");
      }
      subject = m.group(2);
      if (role == Role.AUTHENTICATED && subject == null) {
        throw new SyntaxProblem(
            roleField.line(),
            "role authenticated needs the parameter holding the user id: 'role: authenticated as"
                + " :user_id'");
      }
      if (role != Role.AUTHENTICATED && subject != null) {
        throw new SyntaxProblem(
            roleField.line(), "only 'authenticated' takes a user ('as :" + subject + "')");
      }
      if (subject != null && !declared.contains(subject)) {
        throw new SyntaxProblem(
            roleField.line(),
            "unknown parameter :"
                + subject
                + " (declare it with '-- param: "
                + subject
                + " = ...')");
      }
    }

    for (int i = 0; i < statement.placeholders().size(); i++) {
      String used = statement.placeholders().get(i);
      if (!declared.contains(used)) {
        throw new SyntaxProblem(
            statement.lines().get(i),
            "unknown parameter :"
                + used
                + " (declare it with '-- param: "
                + used
                + " = ...'"
                + (declared.isEmpty() ? "" : "; declared: " + String.join(", ", declared))
                + ")");
      }
    }
    Set<String> usedNames = new HashSet<>(statement.placeholders());
    if (subject != null) {
      usedNames.add(subject);
    }
    for (ParamDecl p : params) {
      for (String n : p.names()) {
        if (!usedNames.contains(n)) {
          throw new SyntaxProblem(
              p.line(), "parameter '" + n + "' is declared but the SQL never uses :" + n);
        }
      }
    }

    WriteMode write = WriteMode.READ_ONLY;
    Field writeField = single.get("write");
    if (writeField != null) {
      String w = writeField.value().toString().strip().toLowerCase(Locale.ROOT);
      if (w.equals("rollback")) {
        write = WriteMode.ROLLBACK;
      } else if (w.equals("cleanup")) {
        write = WriteMode.CLEANUP;
      } else {
        throw new SyntaxProblem(
            writeField.line(), "write must be 'rollback' or 'cleanup', got '" + w + "'");
      }
    }
    String cleanup = null;
    Field cleanupField = single.get("cleanup");
    if (cleanupField != null) {
      if (write != WriteMode.CLEANUP) {
        throw new SyntaxProblem(
            cleanupField.line(), "'cleanup:' needs 'write: cleanup' (rollback needs no cleanup)");
      }
      NamedSql c = NamedSql.parse(cleanupField.value().toString(), cleanupField.line());
      if (!c.placeholders().isEmpty()) {
        throw new SyntaxProblem(cleanupField.line(), "the cleanup SQL cannot use parameters");
      }
      cleanup = c.sql();
    } else if (write == WriteMode.CLEANUP) {
      throw new SyntaxProblem(
          writeField.line(),
          "'write: cleanup' needs a '-- cleanup: SQL' line that undoes the writes after each"
              + " iteration");
    }

    List<Variant> variants = variants(single.get("variants"), role, write);
    boolean singleCaller = false;
    Field concurrency = single.get("concurrency");
    if (concurrency != null) {
      String c = concurrency.value().toString().strip().toLowerCase(Locale.ROOT);
      if (!c.equals("single") && !c.equals("levels")) {
        throw new SyntaxProblem(
            concurrency.line(),
            "concurrency must be 'levels' (the default: throughput at every --threads level) or"
                + " 'single' (one caller at a time: latency only), got '"
                + c
                + "'");
      }
      singleCaller = c.equals("single");
    }
    Field about = single.get("about");
    return new CatalogQuery(
        name,
        about == null ? "" : about.value().toString().strip(),
        source,
        role,
        subject,
        params,
        expectations,
        targets,
        write,
        cleanup,
        variants,
        singleCaller,
        statement);
  }

  private List<Variant> variants(Field field, Role role, WriteMode write) throws SyntaxProblem {
    if (field == null) {
      return role.rlsApplies() && !write.writes()
          ? List.of(Variant.RLS_ON, Variant.RLS_OFF)
          : List.of(Variant.RLS_ON);
    }
    List<Variant> out = new ArrayList<>();
    for (String word : field.value().toString().split(",")) {
      Variant v = Variant.parse(word);
      if (v == null) {
        throw new SyntaxProblem(
            field.line(), "unknown variant '" + word.strip() + "' (known: rls_on, rls_off, plain)");
      }
      if (out.contains(v)) {
        throw new SyntaxProblem(field.line(), "variant " + v.id() + " listed twice");
      }
      if (v == Variant.PLAIN && write == WriteMode.ROLLBACK) {
        throw new SyntaxProblem(
            field.line(), "variant plain runs in autocommit and cannot roll back a write");
      }
      out.add(v);
    }
    return out;
  }

  private ParamDecl param(String text, int line) throws SyntaxProblem {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new SyntaxProblem(
          line, "cannot read parameter '" + text + "': write NAME = SPEC, e.g. user_id = id(user)");
    }
    List<String> names = new ArrayList<>();
    for (String n : text.substring(0, eq).split(",")) {
      String name = n.strip();
      if (name.startsWith(":")) {
        name = name.substring(1);
      }
      if (!IDENT.matcher(name).matches()) {
        throw new SyntaxProblem(line, "'" + n.strip() + "' is not a parameter name");
      }
      names.add(name);
    }
    SamplerSpec spec = spec(text.substring(eq + 1).strip(), line);
    if (!spec.multiColumn() && names.size() != 1) {
      throw new SyntaxProblem(
          line, "only sample(...) binds several parameters; declare one name here");
    }
    return new ParamDecl(names, spec, text, line);
  }

  private SamplerSpec spec(String text, int line) throws SyntaxProblem {
    Matcher m = SPEC.matcher(text);
    if (!m.lookingAt()) {
      throw new SyntaxProblem(line, "cannot read sampler '" + text + "': " + SPEC_HELP);
    }
    String kind = m.group(1);
    int open = m.end() - 1;
    int close = closingParen(text, open);
    if (close < 0) {
      throw new SyntaxProblem(line, "unbalanced parentheses in '" + text + "'");
    }
    String args = text.substring(open + 1, close).strip();
    String rest = text.substring(close + 1).strip();
    SamplerSpec.Distribution dist = SamplerSpec.Distribution.UNIFORM;
    if (!rest.isEmpty()) {
      Matcher d = DISTRIBUTION.matcher(rest.toLowerCase(Locale.ROOT));
      if (!d.matches()) {
        throw new SyntaxProblem(
            line, "unexpected '" + rest + "' after " + kind + "(...): write 'uniform' or 'zipf S'");
      }
      if (d.group(2) != null) {
        double s = Double.parseDouble(d.group(2));
        if (s <= 0) {
          throw new SyntaxProblem(line, "the zipf exponent must be positive, got " + s);
        }
        dist = SamplerSpec.Distribution.zipf(s);
      }
    }
    switch (kind) {
      case "id":
        return new SamplerSpec.EntityId(entity(args, line), dist);
      case "sample":
        if (args.isEmpty()) {
          throw new SyntaxProblem(line, "sample() needs a query: sample(SELECT ...)");
        }
        NamedSql q = NamedSql.parse(args, line);
        if (!q.placeholders().isEmpty()) {
          throw new SyntaxProblem(line, "the sample query cannot use parameters");
        }
        return new SamplerSpec.Sample(q.sql(), dist);
      case "term":
        List<String> sel = new ArrayList<>();
        for (String s : args.split(",")) {
          if (!s.isBlank()) {
            sel.add(s.strip().toLowerCase(Locale.ROOT));
          }
        }
        return new SamplerSpec.Term(sel, dist);
      case "list":
        return new SamplerSpec.OneOf(literals(args, line), dist);
      case "uuid":
        if (!args.isEmpty() || dist.zipf()) {
          throw new SyntaxProblem(line, "uuid() takes no arguments and no distribution");
        }
        return new SamplerSpec.RandomUuid();
      case "int":
        String[] bounds = args.split(",");
        try {
          long lo = Long.parseLong(bounds[0].strip());
          long hi = Long.parseLong(bounds.length == 2 ? bounds[1].strip() : "x");
          if (hi < lo) {
            throw new SyntaxProblem(line, "int(MIN, MAX) needs MIN <= MAX");
          }
          return new SamplerSpec.IntRange(lo, hi, dist);
        } catch (NumberFormatException e) {
          throw new SyntaxProblem(line, "int(MIN, MAX) needs two integers, got int(" + args + ")");
        }
      default:
        throw new SyntaxProblem(line, "unknown sampler '" + kind + "(...)': " + SPEC_HELP);
    }
  }

  private static final String SPEC_HELP =
      "use id(ENTITY), sample(SELECT ...), term(), list(...), uuid() or int(MIN, MAX),"
          + " optionally followed by 'zipf S' or 'uniform'";

  private static Ids.Entity entity(String word, int line) throws SyntaxProblem {
    for (Ids.Entity e : Ids.Entity.values()) {
      if (e.name().equalsIgnoreCase(word.strip())) {
        return e;
      }
    }
    List<String> known = new ArrayList<>();
    for (Ids.Entity e : Ids.Entity.values()) {
      known.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new SyntaxProblem(
        line, "unknown entity '" + word + "' in id(...) (known: " + String.join(", ", known) + ")");
  }

  /** Comma-separated literals: 'text' (with '' for a quote), integers, decimals, true, false. */
  private static List<Object> literals(String args, int line) throws SyntaxProblem {
    List<Object> out = new ArrayList<>();
    int i = 0;
    int n = args.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(args.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (args.charAt(i) == '\'') {
        StringBuilder s = new StringBuilder();
        int j = i + 1;
        boolean closed = false;
        while (j < n) {
          char c = args.charAt(j);
          if (c == '\'') {
            if (j + 1 < n && args.charAt(j + 1) == '\'') {
              s.append('\'');
              j += 2;
              continue;
            }
            closed = true;
            j++;
            break;
          }
          s.append(c);
          j++;
        }
        if (!closed) {
          throw new SyntaxProblem(line, "unterminated string in list(" + args + ")");
        }
        out.add(s.toString());
        i = j;
      } else {
        int j = args.indexOf(',', i);
        String word = (j < 0 ? args.substring(i) : args.substring(i, j)).strip();
        out.add(literal(word, line));
        i = j < 0 ? n : j;
      }
      while (i < n && Character.isWhitespace(args.charAt(i))) {
        i++;
      }
      if (i < n) {
        if (args.charAt(i) != ',') {
          throw new SyntaxProblem(line, "expected ',' in list(" + args + ")");
        }
        i++;
      }
    }
    if (out.isEmpty()) {
      throw new SyntaxProblem(line, "list(...) needs at least one value");
    }
    return out;
  }

  private static Object literal(String word, int line) throws SyntaxProblem {
    if (word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(word.toLowerCase(Locale.ROOT));
    }
    try {
      return word.contains(".") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
    } catch (NumberFormatException e) {
      throw new SyntaxProblem(
          line, "cannot read '" + word + "' in list(...): quote text values like 'this'");
    }
  }

  private static int closingParen(String s, int open) {
    int depth = 0;
    int i = open;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int j = s.indexOf(c, i + 1);
        while (j >= 0 && j + 1 < s.length() && s.charAt(j + 1) == c) {
          j = s.indexOf(c, j + 2);
        }
        if (j < 0) {
          return -1;
        }
        i = j + 1;
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
      i++;
    }
    return -1;
  }
}
