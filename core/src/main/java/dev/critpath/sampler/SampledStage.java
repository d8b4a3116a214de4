package dev.critpath.sampler;

import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.run.RunDirectory;
import java.util.function.Function;

/** Runs a stage with the server sampled, and adds what the sampler saw to run.json. */
public final class SampledStage {
  private SampledStage() {}

  /**
   * Runs {@code work} while a {@link ServerSampler} watches the server behind {@code db}; its
   * record goes into {@code run}'s server section when the work ends, also when it breaks (but not
   * on a user's error, after which a run that wrote nothing is discarded).
   */
  public static <T> T run(
      String stage,
      Database db,
      PoolGauge pools,
      RunDirectory run,
      Function<ServerSampler, T> work) {
    try (ServerSampler sampler = ServerSampler.start(stage, db, pools)) {
      T result;
      try {
        result = work.apply(sampler);
      } catch (UserError e) {
        throw e;
      } catch (RuntimeException e) {
        ServerLoad.record(run, sampler.finish());
        throw e;
      }
      ServerLoad.record(run, sampler.finish());
      return result;
    }
  }
}
