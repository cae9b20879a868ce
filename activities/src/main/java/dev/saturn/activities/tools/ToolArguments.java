package dev.saturn.activities.tools;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import dev.saturn.db.tools.ToolSchemas;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a model's arguments against the tool's JSON Schema ({@link ToolSchemas}: draft 2020-12,
 * remote refs never fetched, patterns in linear time), with messages the model can act on. The
 * registry checked the schema itself on save.
 */
final class ToolArguments {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_ERRORS = 10;

  private final SchemaRegistry registry = ToolSchemas.registry();
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
    List<Error> errors;
    try {
      Schema schema = compiled.computeIfAbsent(schemaJson, json -> registry.getSchema(JSON.readTree(json)));
      errors = schema.validate(arguments);
    } catch (SchemaException | IllegalArgumentException e) {
      // Saved before patterns had to be RE2: the tool must be fixed, no argument can pass.
      return "the tool's parameters schema cannot be used (" + e.getMessage() + "); its owner must fix the tool";
    }
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
