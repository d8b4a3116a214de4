package dev.critpath.report.compare;

import dev.critpath.UserError;
import dev.critpath.report.env.Environment;
import dev.critpath.report.model.RunView;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What makes two runs measure different things, so that a comparison of them would blame the code
 * for what the data, the schema or the tool changed. Each is refused unless the user allows it
 * ({@code --allow-different}): a pull request that changes {@code schema/} compares across schemas
 * on purpose.
 */
public enum RunDifference {
  /** The seeded data: profile, seed and generator, as the dataset fingerprint records them. */
  DATASET(
      "datasets",
      r -> r.dataset() == null ? null : r.dataset().profile() + "/" + r.dataset().fingerprint(),
      "re-seed both with the same profile and seed"),
  /** The applied migrations: version and checksum of the migration history. */
  SCHEMA(
      "schemas",
      r -> {
        Environment.Schema s = r.environment() == null ? null : r.environment().schema();
        return s == null ? null : "version " + s.version() + " checksum " + s.checksum();
      },
      "migrate both from the same schema directory"),
  /** The critpath that measured: its methods and defaults may differ between versions. */
  CRITPATH(
      "critpath versions",
      r -> {
        Environment.Critpath c = r.environment() == null ? null : r.environment().critpath();
        return c == null ? null : c.version();
      },
      "measure both with the same critpath");

  private final String plural;
  private final Function<RunView, String> identity;
  private final String fix;

  RunDifference(String plural, Function<RunView, String> identity, String fix) {
    this.plural = plural;
    this.identity = identity;
    this.fix = fix;
  }

  /** The option value that allows this difference. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunDifference parse(String text) {
    for (RunDifference d : values()) {
      if (d.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new UserError("--allow-different takes dataset, schema or critpath, got '" + text + "'");
  }

  /**
   * Refuses the pair when they differ in a way not {@code allowed}; a run that does not record
   * something (an older run.json) is not refused for it.
   *
   * @throws UserError one line naming the difference and the fix
   */
  static void refuse(RunView baseline, RunView current, Set<RunDifference> allowed) {
    for (RunDifference d : values()) {
      String b = d.identity.apply(baseline);
      String c = d.identity.apply(current);
      if (!allowed.contains(d) && b != null && c != null && !Objects.equals(b, c)) {
        throw new UserError(
            "the runs measured different "
                + d.plural
                + " (baseline "
                + b
                + ", current "
                + c
                + "): "
                + d.fix
                + ", or pass --allow-different "
                + d.id()
                + " to compare them anyway");
      }
    }
  }
}
