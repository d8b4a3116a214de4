package dev.critpath.safety;

import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.util.List;

/** Races the write paths and checks their exactly-once and no-loss promises. */
public final class InvariantsStage implements Stage {
  @Override
  public String name() {
    return "invariants";
  }

  @Override
  public Outcome run(StageContext ctx) throws Exception {
    List<Invariant> invariants = ConcurrencyProbes.run(ctx.db());
    ctx.run().put(Section.INVARIANTS, invariants);
    long broken = invariants.stream().filter(i -> !i.held()).count();
    for (Invariant inv : invariants) {
      ctx.out().printf("  %-4s %s: %s%n", inv.held() ? "OK" : "FAIL", inv.name(), inv.evidence());
    }
    return broken == 0
        ? Outcome.ok(invariants.size() + " invariants held")
        : Outcome.failed(broken + " of " + invariants.size() + " invariants broken");
  }
}
