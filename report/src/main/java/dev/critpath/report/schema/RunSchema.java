package dev.critpath.report.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * run.json's JSON Schema (draft 2020-12, shipped as {@value #RESOURCE}) and a validator for it. The
 * report command warns about violations instead of refusing to render: a report of a slightly off
 * run is more useful than none.
 */
public final class RunSchema {
  public static final String RESOURCE = "/critpath/run.schema.json";
  private static final Schema SCHEMA = load();

  private RunSchema() {}

  /** The violations of a run.json, sorted, one line each ("/sections/bench/...: message"). */
  public static List<String> validate(JsonNode runJson) {
    return SCHEMA.validate(runJson).stream().map(RunSchema::line).sorted().toList();
  }

  /** Reads and validates a run.json file. */
  public static List<String> validate(Path file) {
    try {
      return validate(Json.mapper().readTree(file.toFile()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw dev.critpath.report.model.RunReader.damaged(file, e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The schema's text, e.g. for {@code ./run.sh report --schema}. */
  public static String text() {
    try (InputStream in = RunSchema.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(Error error) {
    return error.getInstanceLocation() + ": " + error.getMessage();
  }

  private static Schema load() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .build();
    try (InputStream in = RunSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_2020_12, registry -> registry.schemaRegistryConfig(config))
          .getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
