package dev.critpath.bench;

import dev.critpath.db.SqlState;
import dev.critpath.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Calls of one path/variant that lost their connection (the server restarted, crashed or dropped
 * it) in one benchmark JVM: counted, the first reason kept, and handed to the orchestrator in a
 * file beside the {@link Failures}, rewritten on every such error. Only the error path touches it,
 * so a call that succeeds pays nothing.
 */
final class ConnectionLoss {
  private static final String SUFFIX = ".connection-errors";

  private final Path dir;
  private final String prefix;
  private final Duration statementTimeout;
  private Path file;
  private long count;
  private String first;

  ConnectionLoss(ForkConfig config, String path, String variant) {
    this.dir = Path.of(config.failuresDir());
    this.prefix = prefix(path, variant);
    this.statementTimeout = Duration.ofMillis(config.statementTimeoutMillis());
  }

  /**
   * Whether {@code e} (or a cause) says the connection is gone rather than the query is wrong:
   * SQLSTATE class 08 (pgjdbc's I/O errors included) or a server shutdown. A statement_timeout is
   * not: the query is too slow, and the path fails.
   */
  static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && SqlState.isConnectionLoss(sql)) {
        return true;
      }
    }
    return false;
  }

  /** Counts one call that lost its connection. */
  synchronized void record(Throwable e) {
    count++;
    if (first == null) {
      first = Failures.describe(e, statementTimeout);
      // named by the time of the first error, so the orchestrator reads forks in order
      file =
          dir.resolve(
              prefix + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + SUFFIX);
    }
    AtomicFiles.writeString(file, count + "\n" + first);
  }

  /** Everything recorded for a path/variant in {@code dir}, by every fork. */
  static BenchReport.ConnectionErrors read(Path dir, String path, String variant) {
    String prefix = prefix(path, variant);
    List<Path> files;
    try (Stream<Path> all = Files.list(dir)) {
      files =
          all.filter(
                  f -> {
                    String name = f.getFileName().toString();
                    return name.startsWith(prefix) && name.endsWith(SUFFIX);
                  })
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the connection errors in " + dir, e);
    }
    BenchReport.ConnectionErrors total = BenchReport.ConnectionErrors.NONE;
    for (Path f : files) {
      try {
        String[] lines = Files.readString(f, StandardCharsets.UTF_8).split("\n", 2);
        total = total.plus(new BenchReport.ConnectionErrors(Long.parseLong(lines[0]), lines[1]));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return total;
  }

  private static String prefix(String path, String variant) {
    return path + "__" + variant + ".";
  }
}
