package dev.critpath.seed;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Seeding progress on stderr: on a terminal one status line redrawn in place (a bar for the biggest
 * table in flight, rows, rows/s and ETA for each); otherwise (CI logs) a plain line per active
 * table every few seconds. Finished tables and indexes get a permanent line either way.
 */
public final class ConsoleProgress implements SeedListener {
  private static final long TERMINAL_TICK_MS = 250;
  private static final long PLAIN_TICK_MS = 5_000;
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, Table> active = new ConcurrentHashMap<>();
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

    double seconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    double rate() {
      double s = seconds();
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

  /** Progress on stderr, redrawn when stderr is a terminal ({@code System.console() != null}). */
  public static ConsoleProgress toStderr() {
    return new ConsoleProgress(System.err, System.console() != null);
  }

  @Override
  public synchronized void step(String what) {
    permanent("seed: " + what);
  }

  @Override
  public void tableStarted(String table, long plannedRows) {
    active.putIfAbsent(table, new Table(table, plannedRows));
  }

  @Override
  public void rows(String table, long rows) {
    Table t = active.get(table);
    if (t != null) {
      t.rows.addAndGet(rows);
    }
  }

  @Override
  public synchronized void tableLoaded(String table, long rows, Duration took) {
    active.remove(table);
    double seconds = Math.max(took.toNanos() / 1e9, 1e-9);
    permanent(
        String.format(
            Locale.ROOT,
            "seed: %-26s %,12d rows in %6.2f s  (%s rows/s)",
            table,
            rows,
            seconds,
            human(rows / seconds)));
  }

  @Override
  public synchronized void indexBuilt(String table, String index, Duration took) {
    permanent(
        String.format(
            Locale.ROOT, "seed: index %-41s built in %6.2f s", index, took.toNanos() / 1e9));
  }

  @Override
  public synchronized void analyzed(String table, Duration took) {
    permanent(
        String.format(
            Locale.ROOT, "seed: vacuum analyze %-32s in %6.2f s", table, took.toNanos() / 1e9));
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
          for (Table t : active.values()) {
            out.println(plainLine(t));
          }
          out.flush();
        }
      }
    }
  }

  private void redraw() {
    if (active.isEmpty()) {
      clearLine();
      return;
    }
    Table main = null;
    for (Table t : active.values()) {
      if (main == null || t.planned > main.planned) {
        main = t;
      }
    }
    StringBuilder line = new StringBuilder("\r\033[K");
    double share = main.planned > 0 ? Math.min(1.0, (double) main.rows.get() / main.planned) : 1;
    int filled = (int) Math.round(share * BAR_WIDTH);
    line.append(main.name).append(" [").append("#".repeat(filled));
    line.append("-".repeat(BAR_WIDTH - filled)).append("] ");
    line.append(String.format(Locale.ROOT, "%,d/%,d ", main.rows.get(), main.planned));
    line.append(human(main.rate())).append(" rows/s ").append(main.eta());
    final Table shown = main;
    String others =
        active.values().stream()
            .filter(t -> t != shown)
            .map(t -> t.name + " " + percent(t))
            .collect(Collectors.joining(", "));
    if (!others.isEmpty()) {
      line.append(" | ").append(others);
    }
    out.print(line);
    out.flush();
    lineDrawn = true;
  }

  private static String percent(Table t) {
    return t.planned > 0 ? (100 * t.rows.get() / t.planned) + "%" : "";
  }

  private String plainLine(Table t) {
    return String.format(
        Locale.ROOT,
        "seed: %s %,d/%,d rows (%s), %s rows/s, %s",
        t.name,
        t.rows.get(),
        t.planned,
        percent(t),
        human(t.rate()),
        t.eta());
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
