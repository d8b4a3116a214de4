package dev.critpath.http.scenario;

import java.time.Duration;

/** One stage of a ramping executor: move linearly to {@code target} over {@code duration}. */
public record RampStage(Duration duration, long target) {}
