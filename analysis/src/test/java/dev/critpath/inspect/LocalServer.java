package dev.critpath.inspect;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.testkit.TestDatabases;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's own PostgreSQL (15 here and in CI) for a test, which is skipped, saying why,
 * without it.
 */
final class LocalServer {
  private LocalServer() {}

  static ConnectionSpec require() {
    ConnectionSpec local = TestDatabases.localServer();
    Assumptions.assumeTrue(
        local != null, "no PostgreSQL at 127.0.0.1:5432 (or CRITPATH_TEST_LOCAL_URL): skipped");
    return local;
  }
}
