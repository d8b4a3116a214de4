package dev.critpath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions fixed at build time (filtered from the parent pom). */
public final class BuildInfo {
  private static final Properties PROPS = load();

  private BuildInfo() {}

  public static String critpathVersion() {
    return PROPS.getProperty("critpath.version", "unknown");
  }

  /** Version of the zonky PostgreSQL binaries bundled for the embedded server. */
  public static String embeddedPostgresVersion() {
    return PROPS.getProperty("embedded.postgres.version", "unknown");
  }

  private static Properties load() {
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/critpath/build.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }
}
