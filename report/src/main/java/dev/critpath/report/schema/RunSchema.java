package dev.critpath.report.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
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
  private static final JsonSchema SCHEMA = load();

  private RunSchema() {}

  /** The violations of a run.json, sorted, one line each ("/sections/bench/...: message"). */
  public static List<String> validate(JsonNode runJson) {
    return SCHEMA.validate(runJson).stream().map(ValidationMessage::getMessage).sorted().toList();
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

  private static JsonSchema load() {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    try (InputStream in = RunSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
