package dev.critpath.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * One SQL statement with {@code :name} parameters, and its JDBC form with {@code ?} placeholders.
 * Names inside string literals, quoted identifiers, comments and dollar-quoted bodies are left
 * alone, as are casts ({@code ::uuid}); a literal {@code ?} (jsonb operators) is escaped for the
 * driver.
 *
 * @param sql the statement as written (trailing semicolon removed)
 * @param jdbcSql the statement with one {@code ?} per parameter occurrence
 * @param placeholders the parameter name of each {@code ?}, in order
 * @param lines the file line of each placeholder
 * @param line the file line the statement starts on
 */
public record NamedSql(
    String sql, String jdbcSql, List<String> placeholders, List<Integer> lines, int line) {

  public NamedSql {
    placeholders = List.copyOf(placeholders);
    lines = List.copyOf(lines);
  }

  /**
   * Parses one statement.
   *
   * @param firstLine the file line the text starts on, for messages
   */
  static NamedSql parse(String text, int firstLine) throws SyntaxProblem {
    int end = statementEnd(text, firstLine);
    String sql = text.substring(0, end).strip();
    String leading = text.substring(0, end).replaceFirst("(?s)^(\\s*).*", "$1");
    int start = firstLine + count(leading, '\n');
    if (sql.isEmpty()) {
      throw new SyntaxProblem(firstLine, "no SQL statement after the header");
    }
    List<String> names = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    String jdbc = render(sql, firstLine, names, lines, name -> "?", "??");
    return new NamedSql(sql, jdbc, names, lines, start);
  }

  /**
   * The statement with {@code $1, $2, ...} for its parameters, numbered by {@link #names()}: the
   * form PREPARE and PL/pgSQL's EXECUTE take.
   */
  public String numberedSql() {
    List<String> distinct = names();
    return render(
        sql,
        1,
        new ArrayList<>(),
        new ArrayList<>(),
        name -> "$" + (distinct.indexOf(name) + 1),
        "?");
  }

  /**
   * Copies {@code sql}, replacing each {@code :name} outside literals, quoted identifiers, comments
   * and dollar-quoted bodies by {@code param.apply(name)} and each other {@code ?} by {@code
   * questionMark}; collects the names and their lines.
   */
  private static String render(
      String sql,
      int firstLine,
      List<String> names,
      List<Integer> lines,
      java.util.function.Function<String, String> param,
      String questionMark) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int line = firstLine;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int skip = skipQuoted(sql, i);
      if (skip > i) {
        String chunk = sql.substring(i, skip);
        line += count(chunk, '\n');
        out.append(chunk);
        i = skip;
        continue;
      }
      if (c == '\n') {
        line++;
      }
      if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
        continue;
      }
      if (c == ':'
          && i + 1 < n
          && isIdentStart(sql.charAt(i + 1))
          && (i == 0 || !isIdentPart(sql.charAt(i - 1)))) {
        int j = i + 1;
        while (j < n && isIdentPart(sql.charAt(j))) {
          j++;
        }
        String name = sql.substring(i + 1, j);
        names.add(name);
        lines.add(line);
        out.append(param.apply(name));
        i = j;
        continue;
      }
      if (c == '?') {
        out.append(questionMark);
      } else {
        out.append(c);
      }
      i++;
    }
    return out.toString();
  }

  /** The distinct parameter names, in order of first use. */
  public List<String> names() {
    return placeholders.stream().distinct().toList();
  }

  /** Index of the end of the first statement; fails if another statement follows. */
  private static int statementEnd(String text, int firstLine) throws SyntaxProblem {
    int n = text.length();
    int i = 0;
    int line = firstLine;
    while (i < n) {
      int skip = skipQuoted(text, i);
      if (skip > i) {
        line += count(text.substring(i, skip), '\n');
        i = skip;
        continue;
      }
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c == ';') {
        int rest = i + 1;
        while (rest < n) {
          int s = skipQuoted(text, rest);
          boolean comment =
              s > rest && (text.startsWith("--", rest) || text.startsWith("/*", rest));
          if (comment) {
            rest = s;
          } else if (Character.isWhitespace(text.charAt(rest)) || text.charAt(rest) == ';') {
            rest++;
          } else {
            throw new SyntaxProblem(
                line,
                "a second SQL statement follows the first: a catalog file holds one statement"
                    + " (put the other in its own file)");
          }
        }
        return i;
      }
      i++;
    }
    return n;
  }

  /**
   * If a literal, quoted identifier, comment or dollar-quoted string starts at {@code i}, the index
   * just past it; otherwise {@code i}.
   */
  private static int skipQuoted(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    if (c == '\'') {
      boolean backslashEscapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e');
      int j = i + 1;
      while (j < n) {
        char d = s.charAt(j);
        if (backslashEscapes && d == '\\') {
          j += 2;
          continue;
        }
        if (d == '\'') {
          if (j + 1 < n && s.charAt(j + 1) == '\'') {
            j += 2;
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return n;
    }
    if (c == '"') {
      int j = s.indexOf('"', i + 1);
      return j < 0 ? n : j + 1;
    }
    if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
      int j = s.indexOf('\n', i);
      return j < 0 ? n : j;
    }
    if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
      int depth = 1;
      int j = i + 2;
      while (j < n && depth > 0) {
        if (s.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (s.startsWith("*/", j)) {
          depth--;
          j += 2;
        } else {
          j++;
        }
      }
      return j;
    }
    if (c == '$' && (i == 0 || !isIdentPart(s.charAt(i - 1)))) {
      int j = i + 1;
      while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
        j++;
      }
      if (j < n && s.charAt(j) == '$' && !(j > i + 1 && Character.isDigit(s.charAt(i + 1)))) {
        String tag = s.substring(i, j + 1);
        int close = s.indexOf(tag, j + 1);
        return close < 0 ? n : close + tag.length();
      }
    }
    return i;
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int count(String s, char c) {
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        k++;
      }
    }
    return k;
  }
}
