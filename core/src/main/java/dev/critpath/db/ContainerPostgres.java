package dev.critpath.db;

import dev.critpath.UserError;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostgreSQL in a Docker container via Testcontainers, configured like the embedded server. */
final class ContainerPostgres implements AutoCloseable {
  private final PostgreSQLContainer container;

  private ContainerPostgres(PostgreSQLContainer container) {
    this.container = container;
  }

  static ContainerPostgres start(String image) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new UserError(
          "--db container needs a running Docker engine and none was found: start Docker, or drop"
              + " --db to use the embedded server, or give --db-url");
    }
    PostgreSQLContainer container =
        new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
            .withDatabaseName(EmbeddedPostgres.DATABASE);
    String[] command =
        EmbeddedPostgres.SERVER_CONFIG.entrySet().stream()
            .filter(e -> !e.getKey().equals("listen_addresses"))
            .filter(e -> !e.getKey().equals("unix_socket_directories"))
            .flatMap(e -> java.util.stream.Stream.of("-c", e.getKey() + "=" + e.getValue()))
            .toArray(String[]::new);
    container.withCommand(prepend("postgres", command));
    container.start();
    return new ContainerPostgres(container);
  }

  ConnectionSpec spec() {
    return new ConnectionSpec(
        container.getHost(),
        container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
        container.getDatabaseName(),
        container.getUsername(),
        container.getPassword(),
        Map.of());
  }

  @Override
  public void close() {
    container.stop();
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
