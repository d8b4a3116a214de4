package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.db.Database;
import dev.critpath.doctor.Doctor;
import dev.critpath.doctor.DoctorCheck;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "DoctorCheck that a database can host critpath's benchmarks: server version, pg_stat_statements,",
      "track_io_timing, extensions, privileges, roles. Read-only. Exit 1 when something required",
      "is missing."
    })
final class DoctorCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws SQLException {
    try (Database db = database.open();
        Connection c = db.connect()) {
      List<DoctorCheck> checks = Doctor.examine(c);
      print(db, checks, spec.commandLine().getOut());
      boolean failed = checks.stream().anyMatch(ch -> ch.status() == DoctorCheck.Status.FAIL);
      return failed ? ExitCode.FAILED.code : ExitCode.OK.code;
    }
  }

  static void print(Database db, List<DoctorCheck> checks, PrintWriter out) {
    out.println("doctor: " + db.description());
    int width = checks.stream().mapToInt(ch -> ch.name().length()).max().orElse(10);
    for (DoctorCheck ch : checks) {
      out.printf("  %-4s  %-" + width + "s  %s%n", ch.status(), ch.name(), ch.detail());
      if (!ch.fix().isEmpty()) {
        out.printf("        %-" + width + "s  fix: %s%n", "", ch.fix());
      }
    }
    long fails = checks.stream().filter(ch -> ch.status() == DoctorCheck.Status.FAIL).count();
    long warns = checks.stream().filter(ch -> ch.status() == DoctorCheck.Status.WARN).count();
    out.printf("doctor: %d failed, %d warning%s%n", fails, warns, warns == 1 ? "" : "s");
    out.flush();
  }
}
