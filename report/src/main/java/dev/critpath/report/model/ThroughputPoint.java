package dev.critpath.report.model;

/**
 * Throughput at one concurrency level.
 *
 * @param threads concurrent clients
 * @param opsPerSec operations per second, all clients together
 * @param error half-width of its confidence interval, null when unknown
 * @param p95Ms p95 latency at this level, null when unknown
 */
public record ThroughputPoint(int threads, double opsPerSec, Double error, Double p95Ms) {}
