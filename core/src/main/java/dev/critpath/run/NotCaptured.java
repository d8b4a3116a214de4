package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something a stage could not measure on this server, and why: run.json's {@link
 * Section#NOT_CAPTURED} section lists them so that no report leaves a column blank without a word.
 *
 * @param stage the stage that lost it (bench, explain, inspect, seed, realtime, or "all")
 * @param what what is missing from its results
 * @param why the cause, as observed
 * @param fix what would bring it back; null when nothing can
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotCaptured(String stage, String what, String why, String fix) {}
