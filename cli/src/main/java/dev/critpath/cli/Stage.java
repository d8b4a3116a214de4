package dev.critpath.cli;

import dev.critpath.ExitCode;

/**
 * One step of the default suite. A stage reads what earlier stages left in the {@link
 * SuiteContext}, puts its section into run.json and says how it went.
 */
interface Stage {
  String name();

  Outcome run(SuiteContext context) throws Exception;

  /**
   * @param summary one line for the console
   */
  record Outcome(ExitCode exitCode, String summary) {
    static Outcome ok(String summary) {
      return new Outcome(ExitCode.OK, summary);
    }

    static Outcome failed(String summary) {
      return new Outcome(ExitCode.FAILED, summary);
    }
  }
}
