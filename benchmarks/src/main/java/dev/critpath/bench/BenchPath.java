package dev.critpath.bench;

import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.QueryCatalog;
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
 */
record BenchPath(String name, CatalogQuery entry, JavaPath java) {

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
      byName.put(q.name(), new BenchPath(q.name(), q, null));
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
      if (!known.contains(name)) {
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
    return all.stream().filter(p -> only.contains(p.name())).toList();
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
