package dev.critpath.http;

import dev.critpath.http.scenario.Durations;
import dev.critpath.io.AtomicFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled HTTP scenario files with every phase shortened by a factor, for the smoke suite:
 * written into a directory and run by the HTTP stage like any scenario file. Only how long things
 * last changes (durations, start times, think times, grace periods), and with it a count the whole
 * run must reach ({@code minSent}); rates, VUs, requests, checks and the other thresholds stay as
 * bundled, and so does {@code timeUnit} (the period a rate counts in).
 */
public final class ShortScenarios {
  private static final Pattern TIMING =
      Pattern.compile(
          "\\b(duration|startTime|thinkTime|maxDuration|gracefulStop|gracefulRampDown)"
              + "(\\s*:\\s*)([0-9][0-9.a-zµ]*)");

  /**
   * A count the whole run must reach (the dispatch scenario's sends): a shorter run reaches less.
   */
  private static final Pattern COUNT_IN_TIME = Pattern.compile("\\b(minSent)(\\s*:\\s*)([0-9]+)");

  /** Shorter than this, a phase has no time to start its VUs at all. */
  private static final Duration SHORTEST = Duration.ofMillis(50);

  private static final String RANGE = "..";

  private ShortScenarios() {}

  /** Writes every bundled scenario, shortened, into {@code dir}; returns the files in run order. */
  public static List<String> write(Path dir, double factor) {
    List<String> files = new ArrayList<>();
    for (String name : HttpStage.BUNDLED) {
      Path file = dir.resolve(name + ".yaml");
      AtomicFiles.writeString(file, scale(HttpStage.bundledText(name), factor));
      files.add(file.toString());
    }
    return files;
  }

  /**
   * The scenario text with each timing value multiplied by {@code factor}, and each count a run
   * must reach in its time ({@code minSent}) with it.
   */
  static String scale(String yaml, double factor) {
    Matcher m = TIMING.matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + m.group(2) + scaleValue(m.group(3), factor)));
    }
    m.appendTail(out);
    Matcher c = COUNT_IN_TIME.matcher(out.toString());
    StringBuilder counted = new StringBuilder();
    while (c.find()) {
      long scaled = Math.max(1, (long) Math.ceil(Long.parseLong(c.group(3)) * factor));
      c.appendReplacement(counted, Matcher.quoteReplacement(c.group(1) + c.group(2) + scaled));
    }
    c.appendTail(counted);
    return counted.toString();
  }

  /** One duration, or a think-time range {@code 200ms..600ms}. */
  private static String scaleValue(String value, double factor) {
    int range = value.indexOf(RANGE);
    if (range >= 0) {
      return scaleValue(value.substring(0, range), factor)
          + RANGE
          + scaleValue(value.substring(range + RANGE.length()), factor);
    }
    Duration bundled = Durations.parse(value);
    long ms = Math.round(bundled.toMillis() * factor);
    return (bundled.isZero() ? 0 : Math.max(ms, SHORTEST.toMillis())) + "ms";
  }
}
