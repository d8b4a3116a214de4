package dev.critpath.catalog;

import dev.critpath.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The named critical paths: SQL files with a header, one query each. The reference workload ships
 * in the jar ({@link #builtin()}, from the repository's {@code queries/}); users point {@code
 * --queries DIR} at their own. Names are unique across everything loaded.
 */
public final class QueryCatalog {
  /** The source name that stands for the reference catalog in {@link #load(List)}. */
  public static final String BUILTIN = "builtin";

  private static final String RESOURCE_DIR = "critpath/queries";
  private static final String SHOWN_DIR = "queries/";

  private final Map<String, CatalogQuery> byName;
  private final String description;

  private QueryCatalog(Map<String, CatalogQuery> byName, String description) {
    this.byName = byName;
    this.description = description;
  }

  /** The reference workload's catalog, read from the classpath. */
  public static QueryCatalog builtin() {
    return load(List.of(BUILTIN));
  }

  /** Every {@code *.sql} file in {@code dir} (not recursive). */
  public static QueryCatalog load(Path dir) {
    return load(List.of(dir.toString()));
  }

  /**
   * Loads and merges several sources, each {@link #BUILTIN} or a directory.
   *
   * @throws UserError for a missing or empty directory, a malformed file or a name used twice
   */
  public static QueryCatalog load(List<String> sources) {
    Map<String, CatalogQuery> byName = new LinkedHashMap<>();
    for (String source : sources) {
      List<CatalogQuery> queries =
          source.equals(BUILTIN) ? readBuiltin() : readDirectory(Path.of(source));
      for (CatalogQuery q : queries) {
        CatalogQuery earlier = byName.putIfAbsent(q.name(), q);
        if (earlier != null) {
          throw new UserError(
              q.source()
                  + ": query name '"
                  + q.name()
                  + "' is already used by "
                  + earlier.source()
                  + " (names must be unique)");
        }
      }
    }
    return new QueryCatalog(byName, String.join(", ", sources));
  }

  /** A catalog of already parsed queries (tests, and Java paths that join the catalog). */
  public static QueryCatalog of(List<CatalogQuery> queries) {
    Map<String, CatalogQuery> byName = new LinkedHashMap<>();
    queries.forEach(q -> byName.put(q.name(), q));
    return new QueryCatalog(byName, "in memory");
  }

  /** Parses one catalog file's content; {@code source} names it in messages. */
  public static CatalogQuery parse(String source, String content) {
    return CatalogParser.parse(source, content);
  }

  /** All queries, in file name order per source. */
  public List<CatalogQuery> queries() {
    return List.copyOf(byName.values());
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  public Optional<CatalogQuery> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The query named {@code name}; a UserError listing the known names if there is none. */
  public CatalogQuery get(String name) {
    CatalogQuery q = byName.get(name);
    if (q == null) {
      throw new UserError(
          "unknown query '"
              + name
              + "' (the catalog "
              + description
              + " has: "
              + String.join(", ", byName.keySet())
              + ")");
    }
    return q;
  }

  /** The named queries in catalog order; all of them when {@code names} is empty. */
  public List<CatalogQuery> select(Collection<String> names) {
    if (names.isEmpty()) {
      return queries();
    }
    names.forEach(this::get);
    return byName.values().stream().filter(q -> names.contains(q.name())).toList();
  }

  private static List<CatalogQuery> readDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError(
          "--queries " + dir + ": no such directory (give a directory of NAME.sql catalog files)");
    }
    List<CatalogQuery> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList()) {
        out.add(CatalogParser.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UserError("cannot read the query catalog " + dir + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new UserError(
          "the query catalog "
              + dir
              + " is empty: add NAME.sql files that start with a '-- name:' header (see"
              + " docs/catalog.md)");
    }
    return out;
  }

  private static List<CatalogQuery> readBuiltin() {
    URL url = QueryCatalog.class.getClassLoader().getResource(RESOURCE_DIR);
    if (url == null) {
      throw new IllegalStateException("the reference catalog is missing from the classpath");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return readResources(fs.provider().getPath(uri));
      }
      return readResources(Path.of(uri));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the reference catalog: " + e.getMessage(), e);
    }
  }

  private static List<CatalogQuery> readResources(Path dir) throws IOException {
    List<CatalogQuery> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().endsWith(".sql"))
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList()) {
        String content;
        try {
          content = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        out.add(CatalogParser.parse(SHOWN_DIR + f.getFileName(), content));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return description;
  }
}
