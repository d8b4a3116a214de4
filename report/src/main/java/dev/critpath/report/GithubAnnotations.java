package dev.critpath.report;

import dev.critpath.report.model.CheckGroup;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.RunView;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub Actions workflow commands for what failed: {@code ::error file=queries/x.sql,line=6::...}
 * for a failed threshold or expectation declared in a catalog file (GitHub shows it on that line of
 * the pull request), {@code ::error title=...::...} for the rest. Printed with the console summary
 * when {@code GITHUB_ACTIONS=true}.
 */
public final class GithubAnnotations {
  private GithubAnnotations() {}

  /** Whether this process runs in a GitHub Actions job. */
  public static boolean enabled() {
    return "true".equals(System.getenv("GITHUB_ACTIONS"));
  }

  /** One {@code ::error} command per failed check of the run. */
  public static List<String> of(RunView run) {
    List<String> out = new ArrayList<>();
    for (CheckGroup g : run.checkGroups()) {
      for (CheckResult c : g.checks()) {
        if (!c.failed()) {
          continue;
        }
        String title = "critpath " + g.subject() + ": " + c.kind().label() + " failed";
        String message = c.name() + (c.evidence() == null ? "" : ": " + c.evidence());
        out.add(error(c.location(), title, message));
      }
    }
    return out;
  }

  /**
   * An {@code ::error} command.
   *
   * @param location {@code file:line}, or null for one not tied to a file
   */
  public static String error(String location, String title, String message) {
    StringBuilder cmd = new StringBuilder("::error ");
    int colon = location == null ? -1 : location.lastIndexOf(':');
    if (colon > 0 && location.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      cmd.append("file=")
          .append(property(location.substring(0, colon)))
          .append(",line=")
          .append(location.substring(colon + 1))
          .append(',');
    }
    return cmd.append("title=")
        .append(property(title))
        .append("::")
        .append(data(message))
        .toString();
  }

  /** The escaping GitHub's runner undoes in a command's message. */
  private static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** The escaping of a property value, where ':' and ',' also separate. */
  private static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
