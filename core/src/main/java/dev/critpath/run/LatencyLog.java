package dev.critpath.run;

import dev.critpath.UserError;
import dev.critpath.io.OutputPaths;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A stage's latency log beside run.json ({@code <section>.hlog}): HdrHistogram's interval log
 * format (HistogramLogWriter, compressed base64 intervals), one {@link LatencyTag} per scenario,
 * metric and qualifier set, every value in microseconds at {@link #DIGITS} significant digits.
 * Writers hand it each interval's histogram and reset their own, so memory stays flat however long
 * the run; the log keeps the full distribution, so runs can be added exactly ({@code merge}).
 * Intervals without a value are not written. The file is appended to and flushed as it goes (like a
 * server log): an interrupted run keeps what it measured.
 */
public final class LatencyLog implements AutoCloseable {
  /** Significant decimal digits of every histogram: 0.1% resolution, as wrk2 and k6. */
  public static final int DIGITS = 3;

  /** The unit of every recorded value. */
  public static final String UNIT = "microseconds";

  /** The max column of each interval line is in milliseconds (values are microseconds). */
  private static final double MAX_COLUMN_RATIO = 1000.0;

  private final Path file;
  private final PrintStream stream;
  private final HistogramLogWriter writer;
  private final long baseMillis;
  private boolean written;

  private LatencyLog(Path file, PrintStream stream, long baseMillis) {
    this.file = file;
    this.stream = stream;
    this.baseMillis = baseMillis;
    this.writer = new HistogramLogWriter(stream);
  }

  /** The log file name of a section, relative to the run directory. */
  public static String fileName(Section section) {
    return section.key() + ".hlog";
  }

  /** A new histogram in the log's configuration (auto-resizing, microseconds). */
  public static Histogram histogram() {
    return new Histogram(DIGITS);
  }

  /** Creates (or replaces) {@code file}; interval times are written relative to {@code start}. */
  public static LatencyLog create(Path file, Instant start) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      PrintStream out =
          new PrintStream(
              new BufferedOutputStream(Files.newOutputStream(file)), false, StandardCharsets.UTF_8);
      LatencyLog log = new LatencyLog(file, out, start.toEpochMilli());
      log.writer.outputComment("critpath latency log: values in " + UNIT + ", tags in run-json.md");
      log.writer.outputLogFormatVersion();
      log.writer.outputStartTime(log.baseMillis);
      log.writer.setBaseTime(log.baseMillis);
      log.writer.outputBaseTime(log.baseMillis);
      log.writer.outputLegend();
      out.flush();
      return log;
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(file, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Writes one interval of one distribution (nothing when it holds no value). The histogram is only
   * read; the caller resets it for its next interval.
   */
  public synchronized void interval(
      LatencyTag tag, long startMillis, long endMillis, AbstractHistogram h) {
    if (h.getTotalCount() == 0) {
      return;
    }
    String previous = h.getTag();
    h.setTag(tag.encode());
    writer.outputIntervalHistogram(
        (startMillis - baseMillis) / 1000.0,
        (Math.max(endMillis, startMillis) - baseMillis) / 1000.0,
        h,
        MAX_COLUMN_RATIO);
    h.setTag(previous);
    written = true;
  }

  /**
   * Closes the log and removes its file when no interval was written: a stage that failed on bad
   * input leaves its run directory as it found it.
   */
  public synchronized void deleteIfEmpty() {
    close();
    if (!written) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw OutputPaths.cannotWrite(file, e);
      }
    }
  }

  /** Pushes what was written to the file. */
  public synchronized void flush() {
    stream.flush();
  }

  @Override
  public synchronized void close() {
    stream.flush();
    stream.close();
  }

  /** One interval read back: its tag, its absolute bounds and its histogram. */
  public record Interval(LatencyTag tag, long startMillis, long endMillis, Histogram histogram) {}

  /** Receives intervals in file order. */
  public interface IntervalConsumer {
    void accept(Interval interval);
  }

  /**
   * Reads every interval of a log. Intervals whose tag is not a {@link LatencyTag} are skipped.
   *
   * @param owner who the log belongs to, for the error message (e.g. "segment 2")
   */
  public static void read(Path file, String owner, IntervalConsumer consumer) {
    try (Cursor c = Cursor.open(file, owner)) {
      for (Interval i = c.next(); i != null; i = c.next()) {
        consumer.accept(i);
      }
    }
  }

  /** Reads a log one interval at a time (merging several logs in time order). */
  public static final class Cursor implements AutoCloseable {
    private final Path file;
    private final String owner;
    private final InputStream in;
    private final HistogramLogReader reader;

    private Cursor(Path file, String owner, InputStream in) {
      this.file = file;
      this.owner = owner;
      this.in = in;
      this.reader = new HistogramLogReader(in);
    }

    /**
     * @param owner who the log belongs to, for error messages (e.g. "segment 2")
     */
    public static Cursor open(Path file, String owner) {
      try {
        return new Cursor(file, owner, Files.newInputStream(file));
      } catch (IOException e) {
        throw unreadable(file, owner, e);
      }
    }

    /** The next interval with one of our tags, or null at the end. */
    public Interval next() {
      try {
        while (reader.hasNext()) {
          EncodableHistogram e = reader.nextIntervalHistogram();
          if (e == null) {
            return null;
          }
          LatencyTag tag = LatencyTag.parse(e.getTag());
          if (tag != null && e instanceof Histogram h) {
            return new Interval(tag, h.getStartTimeStamp(), h.getEndTimeStamp(), h);
          }
        }
        return null;
      } catch (RuntimeException e) {
        throw unreadable(file, owner, e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw unreadable(file, owner, e);
      }
    }
  }

  private static UserError unreadable(Path file, String owner, Exception e) {
    return new UserError(
        owner
            + ": cannot read the latency log "
            + file
            + " ("
            + e.getMessage()
            + "): re-run that segment or restore its run directory");
  }

  /** Every tag's intervals added together. */
  public static Map<LatencyTag, Histogram> totals(Path file, String owner) {
    Map<LatencyTag, Histogram> out = new LinkedHashMap<>();
    read(file, owner, i -> out.computeIfAbsent(i.tag(), k -> histogram()).add(i.histogram()));
    return out;
  }
}
