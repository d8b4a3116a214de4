package dev.critpath.environment;

import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;

/** The environment stage of the default suite: server, settings, extensions, JVM and host. */
public final class EnvironmentStage implements Stage {
  @Override
  public String name() {
    return "environment";
  }

  @Override
  public Outcome run(StageContext ctx) {
    ctx.run().put(Section.ENVIRONMENT, EnvironmentCollector.collect(ctx.db()));
    return Outcome.ok("server, settings, extensions, JVM and host recorded");
  }
}
