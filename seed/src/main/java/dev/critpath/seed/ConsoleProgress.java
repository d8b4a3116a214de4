package dev.critpath.seed;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeding progress on stderr. On a terminal: one status line redrawn in place, a bar for the
 * biggest table being loaded (rows, rows/s, ETA) and what else runs (other tables, index builds,
 * VACUUM ANALYZE, with elapsed time). Otherwise (CI logs): a plain line per running item every few
 * seconds. Each loaded table gets a permanent line; index builds and vacuums only when they took a
 * while, so small profiles stay short.
 */
public final class ConsoleProgress implements SeedListener {
  private static final long TERMINAL_TICK_MS = 250;
  private static final long PLAIN_TICK_MS = 5_000;
  private static final int BAR_WIDTH = 24;
  private static final Duration WORTH_A_LINE = Duration.ofMillis(500);

  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final Map<String, Long> tasks = new ConcurrentHashMap<>();
  private final Thread ticker;
  private volatile boolean running = true;
  private boolean lineDrawn;

  private static final class Table {
    final String name;
    final long planned;
    final long startNanos = System.nanoTime();
    final AtomicLong rows = new AtomicLong();

    Table(String name, long planned) {
      this.name = name;
      this.planned = planned;
    }

    double rate() {
      double s = (System.nanoTime() - startNanos) / 1e9;
      return s > 0 ? rows.get() / s : 0;
    }

    String eta() {
      double rate = rate();
      long left = planned - rows.get();
      if (rate <= 0 || left <= 0) {
        return "ETA -";
      }
      return "ETA " + Math.round(Math.ceil(left / rate)) + "s";
    }

    String percent() {
      return planned > 0 ? (100 * rows.get() / planned) + "%" : "";
    }
  }

  /**
   * @param terminal redraw one line in place; otherwise print periodic plain lines
   */
  public ConsoleProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.ticker = new Thread(this::tick, "critpath-seed-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Progress on stderr, redrawn when there is a terminal ({@code System.console() != null}). */
  public static ConsoleProgress toStderr() {
    return new ConsoleProgress(System.err, System.console() != null);
  }

  @Override
  public synchronized void step(String what) {
    permanent("seed: " + what);
  }

  @Override
  public void tableStarted(String table, long plannedRows) {
    tables.putIfAbsent(table, new Table(table, plannedRows));
  }

  @Override
  public void rows(String table, long rows) {
    Table t = tables.get(table);
    if (t != null) {
      t.rows.addAndGet(rows);
    }
  }

  @Override
  public synchronized void tableLoaded(String table, long rows, Duration took) {
    tables.remove(table);
    double seconds = Math.max(took.toNanos() / 1e9, 1e-9);
    permanent(
        String.format(
            Locale.ROOT,
            "seed: %-26s %,12d rows in %6.2f s (%s rows/s)",
            table,
            rows,
            seconds,
            human(rows / seconds)));
  }

  @Override
  public void indexStarted(String table, String index) {
    tasks.put("index " + index, System.nanoTime());
  }

  @Override
  public synchronized void indexBuilt(String table, String index, Duration took) {
    tasks.remove("index " + index);
    if (took.compareTo(WORTH_A_LINE) >= 0) {
      permanent(
          String.format(
              Locale.ROOT, "seed: index %-41s built in %6.2f s", index, took.toNanos() / 1e9));
    }
  }

  @Override
  public void analyzeStarted(String table) {
    tasks.put("vacuum analyze " + table, System.nanoTime());
  }

  @Override
  public synchronized void analyzed(String table, Duration took) {
    tasks.remove("vacuum analyze " + table);
    if (took.compareTo(WORTH_A_LINE) >= 0) {
      permanent(
          String.format(
              Locale.ROOT, "seed: vacuum analyze %-32s in %6.2f s", table, took.toNanos() / 1e9));
    }
  }

  @Override
  public synchronized void finished() {
    running = false;
    ticker.interrupt();
    clearLine();
    out.flush();
  }

  private void tick() {
    long period = terminal ? TERMINAL_TICK_MS : PLAIN_TICK_MS;
    while (running) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (!running) {
          return;
        }
        if (terminal) {
          redraw();
        } else {
          for (Table t : tables.values()) {
            out.println(
                String.format(
                    Locale.ROOT,
                    "seed: %s %,d/%,d rows (%s), %s rows/s, %s",
                    t.name,
                    t.rows.get(),
                    t.planned,
                    t.percent(),
                    human(t.rate()),
                    t.eta()));
          }
          for (String task : runningTasks()) {
            out.println("seed: " + task);
          }
          out.flush();
        }
      }
    }
  }

  private List<String> runningTasks() {
    List<String> out = new ArrayList<>();
    long now = System.nanoTime();
    tasks.forEach((name, start) -> out.add(name + " (" + (now - start) / 1_000_000_000L + "s)"));
    out.sort(null);
    return out;
  }

  private void redraw() {
    Table main = null;
    for (Table t : tables.values()) {
      if (main == null || t.planned > main.planned) {
        main = t;
      }
    }
    List<String> parts = new ArrayList<>();
    if (main != null) {
      double share = main.planned > 0 ? Math.min(1.0, (double) main.rows.get() / main.planned) : 1;
      int filled = (int) Math.round(share * BAR_WIDTH);
      parts.add(
          String.format(
              Locale.ROOT,
              "%s [%s%s] %,d/%,d %s rows/s %s",
              main.name,
              "#".repeat(filled),
              "-".repeat(BAR_WIDTH - filled),
              main.rows.get(),
              main.planned,
              human(main.rate()),
              main.eta()));
    }
    for (Table t : tables.values()) {
      if (t != main) {
        parts.add(t.name + " " + t.percent());
      }
    }
    parts.addAll(runningTasks());
    if (parts.isEmpty()) {
      clearLine();
      return;
    }
    out.print("\r\033[K" + String.join(" | ", parts));
    out.flush();
    lineDrawn = true;
  }

  private void permanent(String line) {
    clearLine();
    out.println(line);
    if (terminal && running) {
      redraw();
    }
    out.flush();
  }

  private void clearLine() {
    if (terminal && lineDrawn) {
      out.print("\r\033[K");
      lineDrawn = false;
    }
  }

  static String human(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }
}
