package dev.critpath.bench;

import dev.critpath.catalog.ParamSampler;
import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A critical path written in Java (plain JDBC, jOOQ, your repository code) instead of a catalog SQL
 * file. It borrows the header of a catalog entry, its <em>twin</em>: the role, the parameter
 * samplers, the targets and the expectations, so it is benchmarked with the same users and keys and
 * reported right beside its SQL twin.
 *
 * <p>To add one: implement this interface (public, with a no-argument constructor), list the class
 * in {@code META-INF/services/dev.critpath.bench.JavaPath}, and put its jar on the classpath next
 * to critpath's ({@code java -cp critpath.jar:my-paths.jar dev.critpath.cli.Main bench}). The
 * harness runs each call inside the twin's request context (transaction, role, JWT claims) exactly
 * as for the SQL, so only the Java code differs.
 */
public interface JavaPath {
  /** The path's name in reports; unique across the catalog. */
  String name();

  /** The catalog entry whose header this path uses (e.g. {@code conversation_list}). */
  String twinOf();

  /** One line for humans. */
  String about();

  /**
   * Prepares a session on one benchmark thread's connection: build statements or a DSLContext here,
   * not per call.
   */
  Session open(Connection connection) throws SQLException;

  /** One thread's prepared path. */
  interface Session extends AutoCloseable {
    /**
     * One call. Read every row and every value into the blackhole: an unread result measures only
     * the first fetch.
     *
     * @param params the current draw of the twin's parameters ({@code params.value("user_id")})
     */
    void execute(ParamSampler params, Blackhole bh) throws SQLException;

    @Override
    default void close() throws SQLException {}
  }
}
