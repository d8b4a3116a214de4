package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.db.Database;
import dev.critpath.doctor.Check;
import dev.critpath.doctor.Doctor;
import dev.critpath.schema.Migrator;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a bare {@code ./run.sh} does: one database (embedded unless told otherwise) taken through
 * the whole pipeline. Each stage reports as it goes; the exit code is the worst stage's.
 */
final class DefaultSuite {
  private final DatabaseOptions options;
  private final PrintWriter out = new PrintWriter(System.out, true);

  DefaultSuite(DatabaseOptions options) {
    this.options = options;
  }

  int run() {
    try (Database db = options.open()) {
      out.println("critpath: using " + db.description());
      Migrator.Result migrated = Migrator.migrate(db, null, options.allowUnmarked);
      out.printf(
          "migrate: schema version %s (%d applied)%n", migrated.version(), migrated.applied());
      List<Check> checks;
      try (Connection c = db.connect()) {
        checks = Doctor.examine(c);
      } catch (SQLException e) {
        throw new IllegalStateException("doctor failed: " + e.getMessage(), e);
      }
      DoctorCommand.print(db, checks, out);
      boolean failed = checks.stream().anyMatch(ch -> ch.status() == Check.Status.FAIL);
      return (failed ? ExitCode.FAILED : ExitCode.OK).code;
    }
  }
}
