package dev.critpath.report.model;

/**
 * One concurrency level: throughput and the latency percentiles measured at it.
 *
 * @param threads concurrent clients
 * @param opsPerSec operations per second, all clients together
 * @param error half-width of its confidence interval, null when unknown
 * @param p50Ms median latency at this level, null when unknown
 * @param p95Ms p95 latency at this level, null when unknown
 * @param p99Ms p99 latency at this level, null when unknown
 */
public record ThroughputPoint(
    int threads, double opsPerSec, Double error, Double p50Ms, Double p95Ms, Double p99Ms) {}
