package dev.critpath.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One critpath benchmark at a time per machine: two would measure each other. JMH guards each of
 * its runs with {@code jmh.lock} and fails outright when another holds it; a bench stage makes many
 * JMH runs, so it holds its own lock for the whole stage and a second stage waits (and says so)
 * instead of failing halfway.
 */
final class MachineLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private MachineLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static MachineLock acquire(PrintWriter out) {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "critpath-bench.lock");
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        out.println(
            "bench: another critpath benchmark is running on this machine; waiting for it ("
                + file
                + ")");
        out.flush();
        lock = channel.lock();
      }
      return new MachineLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }
}
