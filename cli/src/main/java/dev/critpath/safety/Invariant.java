package dev.critpath.safety;

/**
 * A property the reference workload must keep under load, checked and reported on every run.
 *
 * @param evidence what was observed, for the report
 */
public record Invariant(String name, boolean held, String evidence) {}
