package dev.critpath.report.model;

/**
 * One way a query was run (rls_on, rls_off, plain): the report shows them side by side so the cost
 * of row-level security is visible.
 *
 * @param clientMinusServerMs mean client latency minus mean server execution time
 * @param connectionErrors calls that lost their connection mid-measurement; null when none
 */
public record VariantView(
    String name,
    String status,
    String reason,
    Latency latency,
    ServerStats server,
    Double clientMinusServerMs,
    ConnectionErrors connectionErrors) {}
