package dev.critpath.sampler;

import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import java.util.ArrayList;
import java.util.List;

/** run.json's server section: the server under load, one entry per stage that ran. */
public record ServerLoad(List<StageLoad> stages) {

  /** Adds a stage's entry to the run's server section and saves run.json. */
  public static synchronized void record(RunDirectory run, StageLoad stage) {
    List<StageLoad> all = new ArrayList<>();
    if (run.record().getSections().get(Section.SERVER.key()) instanceof ServerLoad earlier) {
      all.addAll(earlier.stages());
    }
    all.add(stage);
    run.put(Section.SERVER, new ServerLoad(List.copyOf(all)));
  }
}
