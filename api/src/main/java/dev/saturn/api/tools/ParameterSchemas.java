package dev.saturn.api.tools;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.saturn.api.web.FieldError;
import dev.saturn.db.tools.SchemaPatterns;
import dev.saturn.db.tools.ToolSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a tool's {@code parameters} is a JSON Schema (draft 2020-12) a model can fill in:
 * valid against the draft's meta-schema, compilable, and describing an object. Remote
 * {@code $ref}s are never fetched: a schema may only refer to itself. Every {@code pattern} and
 * {@code patternProperties} key must compile for {@link SchemaPatterns} (RE2, linear time), the
 * engine the worker matches arguments with.
 */
@Component
class ParameterSchemas {

  static final String DIALECT = SpecificationVersion.DRAFT_2020_12.getDialectId();
  static final int MAX_CHARS = 64 * 1024;

  /** Keywords whose value is a schema, an array of schemas, or an object of schemas by name. */
  private static final Set<String> SUBSCHEMA = Set.of(
      "items", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "contains",
      "propertyNames", "not", "if", "then", "else");
  private static final Set<String> SUBSCHEMA_ARRAYS = Set.of("allOf", "anyOf", "oneOf", "prefixItems", "items");
  private static final Set<String> SUBSCHEMA_MAPS =
      Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");

  private final SchemaRegistry registry = ToolSchemas.registry();
  private final Schema metaSchema = registry.getSchema(SchemaLocation.of(DIALECT));

  /** Field errors named {@code parameters...}; empty when the schema is usable. */
  List<FieldError> check(JsonNode parameters, int serializedLength) {
    if (parameters == null || !parameters.isObject()) {
      return List.of(new FieldError("parameters", "must be a JSON Schema object"));
    }
    if (serializedLength > MAX_CHARS) {
      return List.of(new FieldError("parameters", "must be at most " + MAX_CHARS + " characters of JSON"));
    }
    JsonNode declared = parameters.get("$schema");
    if (declared != null && !(declared.isString() && declared.asString().replaceAll("#$", "").equals(DIALECT))) {
      return List.of(new FieldError("parameters.$schema", "must be " + DIALECT + " or absent"));
    }
    Map<String, String> byField = new LinkedHashMap<>();
    for (Error error : metaSchema.validate(parameters)) {
      byField.merge(field(error.getInstanceLocation()), error.getMessage(), (a, b) -> a.equals(b) ? a : a + "; " + b);
    }
    List<FieldError> errors = new ArrayList<>();
    byField.forEach((field, message) -> errors.add(new FieldError(field, message)));
    if (!errors.isEmpty()) {
      return errors;
    }
    String external = externalReference(parameters, "parameters");
    if (external != null) {
      return List.of(new FieldError(external, "must refer inside the schema (start with #)"));
    }
    List<FieldError> patterns = new ArrayList<>();
    checkPatterns(parameters, "parameters", patterns);
    if (!patterns.isEmpty()) {
      return patterns;
    }
    JsonNode type = parameters.get("type");
    if (type == null || !type.isString() || !type.asString().equals("object")) {
      return List.of(new FieldError("parameters.type", "must be \"object\": a tool's arguments are a JSON object"));
    }
    try {
      registry.getSchema(parameters).validate(parameters);
    } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
      return List.of(new FieldError("parameters", "cannot be compiled as a JSON Schema (references must stay inside the schema)"));
    }
    return List.of();
  }

  /** The names declared under {@code properties}. */
  static List<String> propertyNames(JsonNode parameters) {
    JsonNode properties = parameters == null ? null : parameters.get("properties");
    return properties != null && properties.isObject() ? List.copyOf(properties.propertyNames()) : List.of();
  }

  /**
   * Compiles every {@code pattern} and {@code patternProperties} key where the schema has one
   * (keywords only: a property named "pattern" is not one), so an author learns at save time.
   */
  private static void checkPatterns(JsonNode schema, String field, List<FieldError> errors) {
    if (!schema.isObject()) {
      return;
    }
    for (var entry : schema.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      String at = field + "." + key;
      if (key.equals("pattern") && value.isString()) {
        compile(value.asString(), at, errors);
      } else if (SUBSCHEMA_MAPS.contains(key) && value.isObject()) {
        for (var named : value.properties()) {
          if (key.equals("patternProperties")) {
            compile(named.getKey(), at + "." + named.getKey(), errors);
          }
          checkPatterns(named.getValue(), at + "." + named.getKey(), errors);
        }
      } else if (SUBSCHEMA_ARRAYS.contains(key) && value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          checkPatterns(value.get(i), at + "[" + i + "]", errors);
        }
      } else if (SUBSCHEMA.contains(key)) {
        checkPatterns(value, at, errors);
      }
    }
  }

  private static void compile(String pattern, String field, List<FieldError> errors) {
    try {
      SchemaPatterns.compile(pattern);
    } catch (SchemaPatterns.InvalidPattern e) {
      errors.add(new FieldError(field, e.getMessage()));
    }
  }

  /** The field of the first {@code $ref}/{@code $dynamicRef} that leaves the document, or null. */
  private static String externalReference(JsonNode node, String field) {
    if (node.isObject()) {
      for (var entry : node.properties()) {
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        if ((key.equals("$ref") || key.equals("$dynamicRef")) && value.isString() && !value.asString().startsWith("#")) {
          return field + "." + key;
        }
        String found = externalReference(value, field + "." + key);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = externalReference(node.get(i), field + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String field(NodePath path) {
    StringBuilder out = new StringBuilder("parameters");
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        out.append('.').append(element);
      }
    }
    return out.toString();
  }
}
