package dev.critpath.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One result of one index-health rule.
 *
 * @param check the rule that fired (see {@link Checks})
 * @param object the index or table it is about, schema-qualified
 * @param table the table the object belongs to (the object itself for table rules)
 * @param message one line for humans, with the numbers that made the rule fire
 * @param evidence the same numbers, for run.json and reports
 * @param fix SQL or an action that addresses it; empty when there is nothing to do
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Finding(
    String check,
    Severity severity,
    String object,
    String table,
    String message,
    Map<String, Object> evidence,
    String fix) {}
