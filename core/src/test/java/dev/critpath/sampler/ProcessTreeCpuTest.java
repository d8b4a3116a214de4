package dev.critpath.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the server's process tree in a /proc laid out as the kernel does. */
class ProcessTreeCpuTest {
  private static final long BOOT = 1_700_000_000L;

  @TempDir Path proc;

  @Test
  void sumsThePostmasterItsChildrenAndWhatItReaped() throws IOException {
    write(proc, "stat", "cpu  1 2 3\nbtime " + BOOT + "\n");
    // postmaster 100 started 50 s after boot; 10+5 own, 30+20 reaped children
    stat(100, 1, "10 5 30 20", 5000);
    stat(101, 100, "7 3 0 0", 6000);
    stat(102, 100, "1 1 0 0", 6000);
    write(proc, "100/task/100/children", "101 102 ");
    ProcessTreeCpu.Found found = ProcessTreeCpu.find(proc, 101, BOOT + 50);
    assertThat(found.whyNot()).isNull();
    assertThat(found.tree().postmasterPid()).isEqualTo(100);
    assertThat(found.tree().ticks().getAsLong()).isEqualTo(65 + 10 + 2);
    assertThat(found.tree().processTicks(101)).isEqualTo(10);
  }

  @Test
  void aPidFromAnotherNamespaceIsNotTakenForTheServer() throws IOException {
    write(proc, "stat", "btime " + BOOT + "\n");
    stat(100, 1, "10 5 0 0", 5000); // a local process that started at boot + 50 s
    stat(101, 100, "1 1 0 0", 6000);
    ProcessTreeCpu.Found found = ProcessTreeCpu.find(proc, 101, BOOT + 3600);
    assertThat(found.tree()).isNull();
    assertThat(found.whyNot()).contains("container");
    assertThat(ProcessTreeCpu.find(proc, 999, BOOT).whyNot())
        .contains("is not in this host's /proc");
  }

  private void stat(long pid, long ppid, String times, long start) throws IOException {
    StringBuilder b = new StringBuilder(pid + " (postgres: x (y)) S " + ppid);
    for (int field = 5; field <= 13; field++) {
      b.append(" 0");
    }
    b.append(' ').append(times); // fields 14-17
    for (int field = 18; field <= 21; field++) {
      b.append(" 0");
    }
    b.append(' ').append(start).append(" 0 0\n");
    write(proc, pid + "/stat", b.toString());
  }

  private static void write(Path root, String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }
}
