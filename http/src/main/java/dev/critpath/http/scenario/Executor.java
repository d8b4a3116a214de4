package dev.critpath.http.scenario;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** k6's executors, with the fields each accepts (beside the common ones). */
public enum Executor {
  SHARED_ITERATIONS("shared-iterations", false, Set.of("vus", "iterations", "maxDuration")),
  PER_VU_ITERATIONS("per-vu-iterations", false, Set.of("vus", "iterations", "maxDuration")),
  CONSTANT_VUS("constant-vus", false, Set.of("vus", "duration")),
  RAMPING_VUS(
      "ramping-vus", false, Set.of("startVUs", "stages", "shape", "base", "gracefulRampDown")),
  CONSTANT_ARRIVAL_RATE(
      "constant-arrival-rate",
      true,
      Set.of("rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs")),
  RAMPING_ARRIVAL_RATE(
      "ramping-arrival-rate",
      true,
      Set.of("startRate", "timeUnit", "stages", "shape", "base", "preAllocatedVUs", "maxVUs"));

  /** Fields every scenario may have. */
  public static final Set<String> COMMON =
      Set.of(
          "executor",
          "exec",
          "startTime",
          "gracefulStop",
          "thinkTime",
          "tags",
          "description",
          "network");

  public final String k6Name;

  /** Open model: iterations start on a schedule, whether or not earlier ones finished. */
  public final boolean openModel;

  public final Set<String> fields;

  Executor(String k6Name, boolean openModel, Set<String> fields) {
    this.k6Name = k6Name;
    this.openModel = openModel;
    this.fields = fields;
  }

  public static Executor of(String name) {
    for (Executor e : values()) {
      if (e.k6Name.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown executor \""
            + name
            + "\" (known: "
            + Arrays.stream(values()).map(e -> e.k6Name).collect(Collectors.joining(", "))
            + ")");
  }
}
