package dev.critpath.seed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Runs the load as a graph of tasks (COPY streams, index builds, VACUUM ANALYZE) on a few worker
 * connections: a task starts once the tasks it depends on finished, and among ready tasks the one
 * heading the longest remaining chain of work goes first (critical-path list scheduling), so the
 * slow trigram index starts as soon as messages are in while the other core does the rest. The
 * first failure cancels what is running and stops the rest.
 */
final class TaskRunner {

  /** Work done on one worker connection. */
  interface Work {
    void run(Connection c) throws Exception;
  }

  /** Opens a worker connection with the session settings the load needs. */
  interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  static final class Task {
    final String label;
    final double cost;
    final Work work;
    final List<Task> dependencies = new ArrayList<>();
    final List<Task> dependents = new ArrayList<>();
    double priority = -1;
    int waitingFor;
    boolean started;

    Task(String label, double cost, Work work) {
      this.label = label;
      this.cost = cost;
      this.work = work;
    }

    Task after(Task other) {
      dependencies.add(other);
      other.dependents.add(this);
      return this;
    }

    Task afterAll(List<Task> others) {
      others.forEach(this::after);
      return this;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private final List<Task> tasks = new ArrayList<>();
  private final List<Connection> running = new ArrayList<>();
  private Exception failure;
  private int remaining;

  Task add(String label, double cost, Work work) {
    Task t = new Task(label, cost, work);
    tasks.add(t);
    return t;
  }

  /** Runs every task on {@code workers} connections; rethrows the first failure. */
  void run(int workers, ConnectionFactory connections) throws Exception {
    for (Task t : tasks) {
      priority(t);
      t.waitingFor = t.dependencies.size();
    }
    remaining = tasks.size();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < Math.min(workers, Math.max(1, tasks.size())); i++) {
      Thread th = new Thread(() -> work(connections), "critpath-seed-" + i);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private double priority(Task t) {
    if (t.priority < 0) {
      double longest = 0;
      for (Task d : t.dependents) {
        longest = Math.max(longest, priority(d));
      }
      t.priority = t.cost + longest;
    }
    return t.priority;
  }

  private void work(ConnectionFactory connections) {
    Connection c;
    try {
      c = connections.open();
    } catch (Exception e) {
      fail(e);
      return;
    }
    synchronized (this) {
      running.add(c);
    }
    try {
      for (Task t = next(); t != null; t = next()) {
        try {
          t.work.run(c);
        } catch (Exception e) {
          fail(e);
          return;
        }
        done(t);
      }
    } finally {
      synchronized (this) {
        running.remove(c);
      }
      try {
        c.close();
      } catch (SQLException ignored) {
        // the connection may be what failed; nothing more to do with it
      }
    }
  }

  private synchronized Task next() {
    while (failure == null && remaining > 0) {
      Task best =
          tasks.stream()
              .filter(t -> !t.started && t.waitingFor == 0)
              .max(Comparator.comparingDouble(t -> t.priority))
              .orElse(null);
      if (best != null) {
        best.started = true;
        return best;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
        notifyAll();
        return null;
      }
    }
    return null;
  }

  private synchronized void done(Task t) {
    remaining--;
    for (Task d : t.dependents) {
      d.waitingFor--;
    }
    notifyAll();
  }

  private synchronized void fail(Exception e) {
    if (failure == null) {
      failure = e;
      for (Connection other : running) {
        try {
          other.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
          // best effort: the statement ends anyway when its connection closes
        }
      }
    }
    notifyAll();
  }
}
