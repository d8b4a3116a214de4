package dev.critpath.report.writer;

import dev.critpath.report.env.Environment;
import dev.critpath.report.model.DatasetView;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.VariantView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Words for the parts of a run every writer shows the same way. */
final class Describe {
  /** Settings shown in the one-line server summary; the HTML lists them all. */
  private static final List<String> KEY_SETTINGS =
      List.of("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit");

  private Describe() {}

  static String verdictWord(String verdict) {
    return verdict.toUpperCase(Locale.ROOT);
  }

  static String verdictIcon(String verdict) {
    switch (verdict) {
      case "pass":
        return "✅";
      case "fail":
        return "❌";
      default:
        return "⚠️";
    }
  }

  /** Label and value rows describing the run and its environment, in display order. */
  static Map<String, String> facts(RunView run) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("run", run.runId());
    rows.put("started", run.startedAt() == null ? Fmt.NONE : seconds(run.startedAt()));
    if (run.finishedAt() != null) {
      String took =
          run.startedAt() == null
              ? ""
              : " (" + duration(Duration.between(run.startedAt(), run.finishedAt())) + ")";
      rows.put("finished", seconds(run.finishedAt()) + took);
    }
    rows.put(
        "completed", run.completed() ? "yes" : "no: the run was cut short; results are partial");
    Environment env = run.environment();
    if (env != null && env.postgres() != null) {
      rows.put("PostgreSQL", postgres(env.postgres()));
    }
    if (run.dataset() != null) {
      rows.put("dataset", dataset(run.dataset()));
    }
    if (env != null && env.critpath() != null) {
      Environment.Critpath c = env.critpath();
      String commit = c.gitCommit() == null ? "" : " @ " + shortCommit(c.gitCommit());
      String dirty = Boolean.TRUE.equals(c.gitDirty()) ? " (uncommitted changes)" : "";
      rows.put("critpath", c.version() + commit + dirty);
    }
    if (env != null && (env.host() != null || env.jvm() != null)) {
      rows.put("client", client(env));
    }
    rows.putAll(run.facts());
    return rows;
  }

  static String postgres(Environment.Postgres pg) {
    List<String> parts = new ArrayList<>();
    if (pg.settings() != null) {
      for (String key : KEY_SETTINGS) {
        String v = pg.settings().get(key);
        if (v != null) {
          parts.add(key + " " + v);
        }
      }
    }
    String version = pg.version() == null ? "PostgreSQL" : pg.version();
    return parts.isEmpty() ? version : version + " (" + String.join(", ", parts) + ")";
  }

  static String dataset(DatasetView d) {
    List<String> parts = new ArrayList<>();
    parts.add(d.profile() == null ? "unknown profile" : d.profile());
    if (d.seed() != null) {
      parts.add("seed " + d.seed());
    }
    if (d.fingerprint() != null) {
      parts.add("fingerprint " + d.fingerprint());
    }
    return String.join(", ", parts);
  }

  static String client(Environment env) {
    List<String> parts = new ArrayList<>();
    if (env.host() != null) {
      if (env.host().cores() != null) {
        parts.add(env.host().cores() + " cores");
      }
      if (env.host().memoryBytes() != null) {
        parts.add(Fmt.bytes(env.host().memoryBytes()));
      }
      if (env.host().os() != null) {
        parts.add(env.host().os());
      }
    }
    if (env.jvm() != null && env.jvm().version() != null) {
      parts.add("Java " + env.jvm().version());
    }
    return String.join(", ", parts);
  }

  static String seconds(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  /** "p95 < 50ms" or the dash. */
  static String target(QueryView q) {
    return q.target() == null ? Fmt.NONE : q.target();
  }

  /** Shared buffers per call, from the server statistics or else the captured plan. */
  static Double buffersPerCall(QueryView q) {
    Double b = q.server().sharedBuffersPerCall();
    return b != null ? b : q.plan().sharedBuffers();
  }

  /**
   * Each variant's lost connections ("rls_on: 2 connection errors (first: …)"), or null when none:
   * why a query whose targets all held still fails.
   */
  static String connectionErrors(QueryView q) {
    List<String> parts = new ArrayList<>();
    for (VariantView v : q.variants()) {
      if (v.connectionErrors() != null) {
        parts.add(v.name() + ": " + v.connectionErrors().describe());
      }
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  static String queryVerdict(QueryView q) {
    switch (q.verdict()) {
      case PASS:
        return "✅ pass";
      case FAIL:
        return "❌ fail";
      default:
        return "➖";
    }
  }
}
