package dev.critpath.report.model;

import java.util.Map;

/**
 * The dataset a run measured: two runs on different fingerprints are not comparable.
 *
 * @param rows row count per table, empty when unknown
 */
public record DatasetView(String profile, Long seed, String fingerprint, Map<String, Long> rows) {}
