package dev.critpath.sampler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The CPU time of a PostgreSQL server running on this host: the postmaster and every process it
 * forked (backends, background workers), read from /proc. Backends that exited are not lost: the
 * postmaster reaps them, and the kernel adds their time to its cutime and cstime.
 */
final class ProcessTreeCpu {
  /**
   * The unit of /proc/PID/stat's times: USER_HZ, which Linux fixes at 100 on every architecture
   * critpath runs on (the JDK has no portable sysconf).
   */
  static final double TICKS_PER_SECOND = 100;

  private static final Path PROC = Path.of("/proc");

  /** How far the postmaster's start time in /proc may lie from the server's own, in seconds. */
  private static final double START_TOLERANCE_SECONDS = 2;

  // Fields of /proc/PID/stat after the command name, counted from 3 (state) as proc(5) does.
  private static final int PPID = 4;
  private static final int UTIME = 14;
  private static final int CSTIME = 17;
  private static final int STARTTIME = 22;

  private final long postmasterPid;
  private final Path root;

  private ProcessTreeCpu(Path root, long postmasterPid) {
    this.root = root;
    this.postmasterPid = postmasterPid;
  }

  /**
   * The server whose backend {@code backendPid} serves this connection, if that backend is a
   * process of this host: its parent must be a process that started when the server says its
   * postmaster started (pg_postmaster_start_time), so a PID from another namespace (a container)
   * never names an unrelated local process.
   *
   * @return the tree, or a reason it is not visible
   */
  static Found find(long backendPid, double postmasterStartEpoch) {
    return find(PROC, backendPid, postmasterStartEpoch);
  }

  static Found find(Path proc, long backendPid, double postmasterStartEpoch) {
    List<String> backend = stat(proc, backendPid);
    if (backend == null) {
      return new Found(
          null,
          "the server's backend process "
              + backendPid
              + " is not in this host's /proc (the server runs in a container or on another"
              + " machine)");
    }
    long ppid = Long.parseLong(backend.get(PPID - 3));
    List<String> parent = stat(proc, ppid);
    Double bootEpoch = bootTime(proc);
    if (parent == null || bootEpoch == null) {
      return new Found(null, "the postmaster (process " + ppid + ") is not readable in /proc");
    }
    double started = bootEpoch + Long.parseLong(parent.get(STARTTIME - 3)) / TICKS_PER_SECOND;
    if (Math.abs(started - postmasterStartEpoch) > START_TOLERANCE_SECONDS) {
      return new Found(
          null,
          "process "
              + ppid
              + " on this host did not start when the server's postmaster did (another PID"
              + " namespace: a container)");
    }
    return new Found(new ProcessTreeCpu(proc, ppid), null);
  }

  /**
   * @param tree the server's process tree, null when not visible
   * @param whyNot why it is not visible, null when it is
   */
  record Found(ProcessTreeCpu tree, String whyNot) {}

  long postmasterPid() {
    return postmasterPid;
  }

  /** CPU seconds the server used so far: its postmaster, the children alive, and those reaped. */
  OptionalLong ticks() {
    List<String> pm = stat(root, postmasterPid);
    if (pm == null) {
      return OptionalLong.empty();
    }
    long total = sum(pm, UTIME, CSTIME);
    for (long child : children()) {
      List<String> s = stat(root, child);
      if (s != null && Long.parseLong(s.get(PPID - 3)) == postmasterPid) {
        total += sum(s, UTIME, CSTIME);
      }
    }
    return OptionalLong.of(total);
  }

  /** CPU ticks of one process (user + system, its own), or -1 when it is gone. */
  long processTicks(long pid) {
    List<String> s = stat(root, pid);
    return s == null ? -1 : sum(s, UTIME, UTIME + 1);
  }

  private List<Long> children() {
    Path file = root.resolve(postmasterPid + "/task/" + postmasterPid + "/children");
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty()
          ? List.of()
          : Stream.of(text.split("\\s+")).map(Long::parseLong).toList();
    } catch (IOException e) {
      return scanChildren();
    }
  }

  /** Without CONFIG_PROC_CHILDREN: every process whose parent is the postmaster. */
  private List<Long> scanChildren() {
    try (Stream<Path> all = Files.list(root)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(
              pid -> {
                List<String> s = stat(root, pid);
                return s != null && Long.parseLong(s.get(PPID - 3)) == postmasterPid;
              })
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long sum(List<String> fields, int from, int to) {
    long t = 0;
    for (int f = from; f <= to; f++) {
      t += Long.parseLong(fields.get(f - 3));
    }
    return t;
  }

  /** The fields after "(comm)", from field 3 on; null when the process is gone or unreadable. */
  private static List<String> stat(Path proc, long pid) {
    try {
      String s = Files.readString(proc.resolve(pid + "/stat"));
      // the command name may hold spaces and parentheses: the fields start after the last ')'
      return List.of(s.substring(s.lastIndexOf(')') + 2).strip().split(" "));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Double bootTime(Path proc) {
    try {
      for (String line : Files.readAllLines(proc.resolve("stat"))) {
        if (line.startsWith("btime ")) {
          return Double.parseDouble(line.substring(6).strip());
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
