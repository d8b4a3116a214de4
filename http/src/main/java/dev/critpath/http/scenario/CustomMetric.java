package dev.critpath.http.scenario;

/**
 * A metric read from response bodies, like seed 000's cache_hits: a rate fed by a boolean field
 * ({@code rate: path}) or by hit and miss counts ({@code hits: path, misses: path}), or a counter
 * summing a numeric field ({@code counter: path}).
 */
public record CustomMetric(
    String name, MetricKind kind, JsonPath value, JsonPath hits, JsonPath misses) {}
