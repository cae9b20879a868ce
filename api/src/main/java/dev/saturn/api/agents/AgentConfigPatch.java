package dev.saturn.api.agents;

import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a partial config to an agent's current config with JSON merge-patch semantics
 * (RFC 7396: a member replaces, {@code null} removes, objects merge recursively), then validates
 * the result exactly like a config sent to {@code POST /v1/agents}. Members the API does not know
 * but the stored document carries (written by other features through
 * {@code AgentRepository.newVersion}) are kept as they are.
 */
@Component
class AgentConfigPatch {

  private final JsonMapper json;
  private final Validator validator;

  AgentConfigPatch(JsonMapper json, Validator validator) {
    this.json = json;
    this.validator = validator;
  }

  /**
   * @return the new config document, defaults filled in
   * @throws ApiException VALIDATION_FAILED with fields named {@code config.<member>}
   */
  String apply(String currentJson, ObjectNode patch) {
    checkMembers(patch);
    JsonNode merged = merge(json.readTree(currentJson), patch);
    if (!(merged instanceof ObjectNode document)) {
      throw ApiException.invalidField("config", "must be an object");
    }
    AgentConfigRequest request = validated(document);
    json.valueToTree(request.toConfig()).properties().forEach(e -> document.set(e.getKey(), e.getValue()));
    return json.writeValueAsString(document);
  }

  /** The patch may only name members a client may set, with values of the right type. */
  private void checkMembers(ObjectNode patch) {
    try {
      json.treeToValue(patch, AgentConfigRequest.class);
    } catch (PropertyBindingException e) {
      String path = path(e);
      if (!path.endsWith("." + e.getPropertyName())) {
        path = path + "." + e.getPropertyName();
      }
      throw ApiException.invalidField(path, "is not a known field");
    } catch (JacksonException e) {
      throw ApiException.invalidField(path(e), "has a value of the wrong type");
    }
  }

  private AgentConfigRequest validated(ObjectNode document) {
    AgentConfigRequest request;
    try {
      request = json.readerFor(AgentConfigRequest.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(document);
    } catch (JacksonException e) {
      throw ApiException.invalidField(path(e), "has a value of the wrong type");
    }
    List<FieldError> errors = new ArrayList<>();
    for (ConstraintViolation<AgentConfigRequest> violation : validator.validate(request)) {
      errors.add(new FieldError("config." + snakeCase(violation.getPropertyPath().toString()), violation.getMessage()));
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
      throw ApiException.validation(
          errors.size() == 1
              ? "Field '" + errors.get(0).field() + "' " + errors.get(0).message()
              : errors.size() + " fields are invalid",
          errors);
    }
    return request;
  }

  /** RFC 7396 merge: the patch's members replace the target's, {@code null} removes, objects merge. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject()
        ? (ObjectNode) target.deepCopy()
        : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder("config");
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        path.append('.').append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String snakeCase(String javaName) {
    return javaName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
