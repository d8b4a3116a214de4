package dev.critpath.http;

import dev.critpath.ExitCode;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.sampler.SampledStage;
import dev.critpath.sampler.ServerSampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The http stage of the default suite: the bundled scenarios against the local functions, every
 * phase {@code timeScale} of its length, with the server sampled, into the run's http section.
 *
 * @param timeScale {@link #FULL_SCALE} runs them as bundled; less writes them shortened into the
 *     run directory first ({@link ShortScenarios})
 */
public record BundledHttpStage(double timeScale) implements Stage {
  /** The bundled scenarios as they are. */
  public static final double FULL_SCALE = 1;

  /** Where the shortened scenario files go, inside the run directory. */
  public static final String SHORT_SCENARIOS_DIR = "smoke-scenarios";

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Outcome run(StageContext ctx) {
    HttpResult result =
        SampledStage.run("http", ctx.db(), HttpStage.POOLS, ctx.run(), s -> run(ctx, s));
    String summary =
        timeScale == FULL_SCALE
            ? "bundled scenarios: " + result.verdict()
            : "bundled scenarios at " + timeScale + "x: " + result.verdict();
    return switch (result.verdict()) {
      case "pass" -> Outcome.ok(summary);
      case "fail" -> Outcome.failed(summary);
      default -> new Outcome(ExitCode.ERROR, summary);
    };
  }

  private HttpResult run(StageContext ctx, ServerSampler server) {
    if (timeScale == FULL_SCALE) {
      return HttpStage.runBundled(ctx.db(), ctx.run(), ctx.out(), server);
    }
    try {
      return shortScenarios(ctx, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundled scenarios shortened, run as runBundled runs them: local functions, log here. */
  private HttpResult shortScenarios(StageContext ctx, ServerSampler server) throws IOException {
    Path dir = Files.createDirectories(ctx.run().path().resolve(SHORT_SCENARIOS_DIR));
    HttpStage.Options o = new HttpStage.Options();
    o.server = server;
    o.scenarios = ShortScenarios.write(dir, timeScale);
    o.logDir = ctx.run().path();
    o.env = new HashMap<>(System.getenv());
    o.env.remove("SUPABASE_URL"); // the suite measures the local functions, as runBundled does
    HttpResult result = HttpStage.run(o, ctx.db(), ctx.out());
    ctx.run().put(Section.HTTP, result);
    return result;
  }
}
