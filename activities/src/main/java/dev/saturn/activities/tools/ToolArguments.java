package dev.saturn.activities.tools;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a model's arguments against the tool's JSON Schema (draft 2020-12, remote refs never
 * fetched), with messages the model can act on. The registry checked the schema itself on save.
 */
final class ToolArguments {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_ERRORS = 10;

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
      SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
  private final ConcurrentMap<String, Schema> compiled = new ConcurrentHashMap<>();

  /** @return null when valid, else what is wrong */
  String problems(String schemaJson, String argumentsJson) {
    JsonNode arguments;
    try {
      arguments = JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
    } catch (JacksonException e) {
      return "arguments are not valid JSON";
    }
    if (!arguments.isObject()) {
      return "arguments must be a JSON object";
    }
    if (compiled.size() > 1000) {
      compiled.clear();
    }
    Schema schema = compiled.computeIfAbsent(schemaJson, json -> registry.getSchema(JSON.readTree(json)));
    List<Error> errors = schema.validate(arguments);
    if (errors.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder("arguments do not match the tool's parameters: ");
    for (int i = 0; i < errors.size() && i < MAX_ERRORS; i++) {
      if (i > 0) {
        out.append("; ");
      }
      out.append(errors.get(i).getInstanceLocation()).append(' ').append(errors.get(i).getMessage());
    }
    if (errors.size() > MAX_ERRORS) {
      out.append("; and ").append(errors.size() - MAX_ERRORS).append(" more");
    }
    return out.toString();
  }
}
