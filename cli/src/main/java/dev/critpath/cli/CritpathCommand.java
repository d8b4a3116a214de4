package dev.critpath.cli;

import dev.critpath.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code ./run.sh} with no subcommand runs the default suite. */
@Command(
    name = "critpath",
    mixinStandardHelpOptions = true,
    versionProvider = CritpathCommand.Version.class,
    description = {
      "Benchmarks the critical SQL paths of a PostgreSQL application: how fast each path is,",
      "why (plan, indexes, buffers), and whether it got worse since the last run.",
      "",
      "With no command: runs the default suite on an embedded PostgreSQL."
    },
    subcommands = {
      MigrateCommand.class,
      SeedCommand.class,
      DoctorCommand.class,
      ExplainCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      RealtimeCommand.class,
      HttpCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      MergeCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all thresholds and expectations hold",
      "1:a threshold, expectation or regression failed",
      "2:usage, configuration or connection error"
    })
public final class CritpathCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin SuiteOptions suite;
  @Mixin ResultsOptions results;

  @Override
  public Integer call() {
    return new DefaultSuite(database, suite.settings(), results).run();
  }

  /** Prints the critpath version and the bundled PostgreSQL version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "critpath " + BuildInfo.critpathVersion(),
        "embedded PostgreSQL " + BuildInfo.embeddedPostgresVersion()
      };
    }
  }
}
