package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.inspect.InspectPrinter;
import dev.critpath.inspect.InspectResult;
import dev.critpath.inspect.Inspector;
import dev.critpath.inspect.Severity;
import dev.critpath.run.Section;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Index health of any database, read-only: unused and rarely used indexes, duplicate and",
      "prefix-redundant ones, foreign keys without an index, invalid indexes, tables read",
      "mostly by seq scan, cache hit ratios, table and btree bloat estimates, indexes mostly on",
      "NULLs, and every index's size and scans. Never resets statistics, never writes.",
      "Exit 0 unless --fail-on is given and a finding reaches that severity (then 1)."
    })
final class InspectCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin ResultsOptions results;
  @Mixin ResultsOptions.NoSave print;
  @Spec CommandSpec spec;

  @Option(
      names = "--schemas",
      split = ",",
      paramLabel = "NAME",
      description = "Only these schemas (default: every schema but the system ones).")
  List<String> schemas = new ArrayList<>();

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      defaultValue = "never",
      description =
          "Exit 1 when a finding is at least this severe: info, warn, critical or never"
              + " (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--all", description = "Also list info findings and every index.")
  boolean all;

  @Override
  public Integer call() throws SQLException {
    Severity threshold = threshold(failOn);
    PrintWriter out = spec.commandLine().getOut();
    if (!print.noSave) {
      RunSession.checkWritable(results);
    }
    try (Database db = database.open();
        Connection c = db.connect()) {
      out.println(DatabaseOptions.using(db));
      InspectResult result = Inspector.inspect(c, new Inspector.Options(schemas, null));
      InspectPrinter.print(result, out, all);
      ExitCode exit =
          threshold != null && !result.findings(threshold).isEmpty()
              ? ExitCode.FAILED
              : ExitCode.OK;
      if (!print.noSave) {
        try (RunSession session = RunSession.start(results, "inspect")) {
          session.run().put(Section.INSPECT, result);
          session.finish(RunSession.verdict(exit));
          out.println("inspect: results in " + session.path());
        }
      }
      return exit.code;
    }
  }

  private static Severity threshold(String level) {
    String l = level.toLowerCase(Locale.ROOT);
    if (l.equals("never")) {
      return null;
    }
    for (Severity s : Severity.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(l)) {
        return s;
      }
    }
    throw new UserError(
        "unknown --fail-on value '" + level + "' (use info, warn, critical or never)");
  }
}
