package dev.critpath.run;

import dev.critpath.ExitCode;

/**
 * One step of the default suite. A stage puts its own section into run.json and says how it went;
 * what it needs beyond the {@link StageContext} every stage shares is given to it when it is made.
 */
public interface Stage {
  String name();

  Outcome run(StageContext context) throws Exception;

  /** A stage the rest of the suite cannot do without: when it errs, the suite stops. */
  default boolean prerequisite() {
    return false;
  }

  /** What a stage does, for {@link #of}. */
  @FunctionalInterface
  interface Work {
    Outcome run(StageContext context) throws Exception;
  }

  /** A stage that is only a name and its work: for stages that share state with another. */
  static Stage of(String name, Work work) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcome run(StageContext context) throws Exception {
        return work.run(context);
      }
    };
  }

  /**
   * @param summary one line for the console
   */
  record Outcome(ExitCode exitCode, String summary) {
    public static Outcome ok(String summary) {
      return new Outcome(ExitCode.OK, summary);
    }

    public static Outcome failed(String summary) {
      return new Outcome(ExitCode.FAILED, summary);
    }
  }
}
