package dev.critpath.bench;

import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.WriteMode;
import dev.critpath.run.WriteCommit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * One benchmarked path: a catalog query, or a {@link JavaPath} running under its twin's header.
 *
 * @param entry the catalog entry (for a Java path: the twin's, renamed)
 * @param java the Java implementation, or null for the catalog SQL
 * @param commit for a {@code write: rollback} query, which of its two measurements this is; null
 *     for every other path
 */
record BenchPath(String name, CatalogQuery entry, JavaPath java, WriteCommit commit) {

  BenchPath(String name, CatalogQuery entry, JavaPath java) {
    this(name, entry, java, null);
  }

  /** Whether each call's transaction ends in a rollback, inside the measured time. */
  boolean rollsBack() {
    return commit == WriteCommit.ROLLED_BACK
        || (commit == null && entry.write() == WriteMode.ROLLBACK);
  }

  /** Whether the committed rows are restored by the harness after each iteration. */
  boolean restoresCommits() {
    return commit == WriteCommit.COMMITTED;
  }

  /** The same path, its calls rolled back: what a probe runs, leaving nothing behind. */
  BenchPath probe() {
    return commit == WriteCommit.COMMITTED
        ? new BenchPath(name, entry, java, WriteCommit.ROLLED_BACK)
        : this;
  }

  /** The catalog query's own name (a Java path's name is its own). */
  String catalogName() {
    return commit == null ? name : entry.name();
  }

  /** The registered Java paths ({@code META-INF/services/dev.critpath.bench.JavaPath}). */
  static List<JavaPath> javaPaths() {
    List<JavaPath> out = new ArrayList<>();
    ServiceLoader.load(JavaPath.class).forEach(out::add);
    return out;
  }

  /**
   * Every path of the catalog plus the Java paths whose twin is in it, in catalog order (a Java
   * path right after its twin); only the named ones when {@code only} is not empty.
   */
  static List<BenchPath> all(QueryCatalog catalog) {
    Map<String, BenchPath> byName = new LinkedHashMap<>();
    List<JavaPath> java = javaPaths();
    for (CatalogQuery q : catalog.queries()) {
      if (q.write() == WriteMode.ROLLBACK) {
        // measured both ways: committed first, since its numbers are what a user pays
        for (WriteCommit c : WriteCommit.values()) {
          byName.put(c.pathName(q.name()), new BenchPath(c.pathName(q.name()), q, null, c));
        }
      } else {
        byName.put(q.name(), new BenchPath(q.name(), q, null));
      }
      for (JavaPath p : java) {
        if (p.twinOf().equals(q.name())) {
          if (catalog.find(p.name()).isPresent() || byName.containsKey(p.name())) {
            throw new UserError(
                "Java path "
                    + p.getClass().getName()
                    + " is named '"
                    + p.name()
                    + "', which the catalog already uses");
          }
          byName.put(p.name(), new BenchPath(p.name(), q.withName(p.name(), p.about()), p));
        }
      }
    }
    return List.copyOf(byName.values());
  }

  static List<BenchPath> select(QueryCatalog catalog, Collection<String> only) {
    List<BenchPath> all = all(catalog);
    if (only.isEmpty()) {
      return all;
    }
    List<String> known = all.stream().map(BenchPath::name).toList();
    for (String name : only) {
      if (!known.contains(name) && all.stream().noneMatch(p -> p.catalogName().equals(name))) {
        throw new UserError(
            "unknown query '"
                + name
                + "' in --only (the catalog "
                + catalog
                + " has: "
                + String.join(", ", known)
                + ")");
      }
    }
    // a write's catalog name selects both of its measurements
    return all.stream()
        .filter(p -> only.contains(p.name()) || only.contains(p.catalogName()))
        .toList();
  }

  /** Finds one path by name, in a forked JVM. */
  static BenchPath find(QueryCatalog catalog, String name) {
    return all(catalog).stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new UserError("unknown query '" + name + "'"));
  }

  /** Where the path comes from, for reports: the catalog file or the Java class. */
  String origin() {
    return java == null ? entry.source() : java.getClass().getName();
  }
}
