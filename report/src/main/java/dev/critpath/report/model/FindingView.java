package dev.critpath.report.model;

/**
 * A plan warning or an index health finding.
 *
 * @param rule machine name (seq_scan_large_table, unused_index, ...)
 * @param severity info, warn or error
 * @param subject what it is about (plan node, table, index), may be null
 * @param message what is wrong, in words
 * @param fix how to fix it, may be null
 */
public record FindingView(
    String rule, String severity, String subject, String message, String fix) {}
