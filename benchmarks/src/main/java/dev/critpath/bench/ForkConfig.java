package dev.critpath.bench;

import dev.critpath.Secrets;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Pooler;
import dev.critpath.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * What a forked benchmark JVM needs to know, handed over in a file only the current user can read
 * (0600): the connection (with its password, which must never appear on a command line, where
 * {@code ps} shows it to every local user), the catalog, the seed and the query ids whose server
 * statistics to collect. Only the file's path travels, in the system property {@link #PROPERTY}.
 *
 * @param queryIds pg_stat_statements query id per {@code path/variant}
 * @param pgStatSchema the schema of pg_stat_statements, or null when it is not installed
 * @param failuresDir where a failing benchmark writes why it failed (one file per path/variant)
 * @param pooler the pooler mode the parent found, so forks do not probe again
 */
public record ForkConfig(
    String host,
    int port,
    String database,
    String user,
    String password,
    Map<String, String> params,
    long statementTimeoutMillis,
    List<String> catalogSources,
    long seed,
    Map<String, Long> queryIds,
    String pgStatSchema,
    String failuresDir,
    String pooler) {

  public static final String PROPERTY = "critpath.bench.config";

  private static volatile ForkConfig current;
  private static volatile String currentPath;

  static ForkConfig of(
      ConnectionSpec spec,
      long statementTimeoutMillis,
      List<String> catalogSources,
      long seed,
      Map<String, Long> queryIds,
      String pgStatSchema,
      Path failuresDir,
      Pooler pooler) {
    return new ForkConfig(
        spec.host(),
        spec.port(),
        spec.database(),
        spec.user(),
        spec.password(),
        spec.params(),
        statementTimeoutMillis,
        catalogSources,
        seed,
        queryIds,
        pgStatSchema,
        failuresDir.toString(),
        pooler.mode().label());
  }

  ConnectionSpec spec() {
    return new ConnectionSpec(host, port, database, user, password, params);
  }

  /** Writes the config to a new file readable by the owner only; the caller deletes it. */
  Path writePrivate(Path dir) {
    try {
      Path file =
          Files.createTempFile(
              dir,
              "critpath-bench-",
              ".json",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, Json.mapper().writeValueAsBytes(this));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark configuration", e);
    }
  }

  /** The configuration of this JVM's run, from the file named by {@link #PROPERTY}. */
  static ForkConfig current() {
    String path = System.getProperty(PROPERTY);
    if (path == null) {
      throw new IllegalStateException(
          "-D" + PROPERTY + " is not set: run benchmarks through ./run.sh bench");
    }
    ForkConfig c = current;
    if (c == null || !path.equals(currentPath)) {
      try {
        c =
            Json.mapper()
                .readValue(
                    Files.readString(Path.of(path), StandardCharsets.UTF_8), ForkConfig.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the benchmark configuration " + path, e);
      }
      Secrets.register(c.password());
      current = c;
      currentPath = path;
    }
    return c;
  }

  @Override
  public String toString() {
    return "ForkConfig[" + spec().display() + "]"; // never the password
  }
}
