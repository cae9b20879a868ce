package dev.saturn.activities.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool's stored JSON Schema as langchain4j's object schema. Each property (and each {@code $defs}
 * entry) is passed on raw, so whatever the registry accepted reaches the model unchanged.
 */
final class ToolParameters {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** SATURN's own annotation (a secret field); the model need not see it. */
  private static final String SECRET_MARK = "x-secret";

  private ToolParameters() {}

  static JsonObjectSchema toSchema(String parametersJson) {
    JsonNode root;
    try {
      root = JSON.readTree(parametersJson == null ? "{}" : parametersJson);
    } catch (IOException e) {
      throw LlmFailures.validation("a tool's parameters are not JSON");
    }
    JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
    if (root.hasNonNull("description")) {
      schema.description(root.get("description").asText());
    }
    for (Map.Entry<String, JsonNode> property : root.path("properties").properties()) {
      schema.addProperty(property.getKey(), JsonRawSchema.from(withoutMarks(property.getValue()).toString()));
    }
    List<String> required = new ArrayList<>();
    root.path("required").forEach(name -> required.add(name.asText()));
    if (!required.isEmpty()) {
      schema.required(required);
    }
    if (root.has("additionalProperties") && root.get("additionalProperties").isBoolean()) {
      schema.additionalProperties(root.get("additionalProperties").asBoolean());
    }
    JsonNode defs = root.has("$defs") ? root.get("$defs") : root.get("definitions");
    if (defs != null && defs.isObject()) {
      Map<String, dev.langchain4j.model.chat.request.json.JsonSchemaElement> definitions = new java.util.LinkedHashMap<>();
      defs.properties().forEach(e -> definitions.put(e.getKey(), JsonRawSchema.from(withoutMarks(e.getValue()).toString())));
      schema.definitions(definitions);
    }
    return schema.build();
  }

  private static JsonNode withoutMarks(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove(SECRET_MARK);
      node.forEach(ToolParameters::strip);
    } else if (node.isArray()) {
      node.forEach(ToolParameters::strip);
    }
  }
}
