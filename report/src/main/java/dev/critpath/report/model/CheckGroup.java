package dev.critpath.report.model;

import java.util.List;

/**
 * The checks about one subject (a query, an HTTP scenario file, a realtime scenario, a read path's
 * tenant boundary), as every writer lists them.
 *
 * @param subject how reports name it ("message_fetch", "http edge-functions")
 * @param suite the JUnit testsuite it becomes ("critpath.query.message_fetch")
 */
public record CheckGroup(String subject, String suite, List<CheckResult> checks) {}
