package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.saturn.workflows.common.Redaction;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Applies {@link Redaction} to JSON documents: a member whose name is secret (by the policy, or
 * because the tool marks that field {@code "x-secret": true}) is replaced whole; string values are
 * scanned for credential-looking text. Text that is not JSON is scanned as text.
 */
public final class JsonRedactor {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRedactor() {}

  public static String redact(String json, Set<String> secretFields) {
    return redact(json, secretFields, List.of());
  }

  /** Also masks each of {@code knownSecrets} (e.g. the tool's secret header values) wherever it appears. */
  public static String redact(String json, Set<String> secretFields, List<String> knownSecrets) {
    if (json == null) {
      return null;
    }
    String masked = Redaction.redactValues(json, knownSecrets);
    JsonNode tree;
    try {
      tree = JSON.readTree(masked);
    } catch (IOException notJson) {
      return Redaction.redactText(masked);
    }
    if (tree == null) {
      return Redaction.redactText(masked);
    }
    return redactTree(tree, secretFields).toString();
  }

  public static JsonNode redactTree(JsonNode node, Set<String> secretFields) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(Redaction.redactText(node.asText()));
    }
    JsonNode copy = node.deepCopy();
    walk(copy, secretFields);
    return copy;
  }

  private static void walk(JsonNode node, Set<String> secretFields) {
    if (node instanceof ObjectNode object) {
      for (String field : Set.copyOf(iterable(object))) {
        JsonNode value = object.get(field);
        if (Redaction.isSecretKey(field) || secretFields.contains(field)) {
          object.put(field, Redaction.REDACTED);
        } else if (value.isTextual()) {
          object.put(field, Redaction.redactText(value.asText()));
        } else {
          walk(value, secretFields);
        }
      }
    } else if (node != null && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (item.isTextual()) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, TextNode.valueOf(Redaction.redactText(item.asText())));
        } else {
          walk(item, secretFields);
        }
      }
    }
  }

  private static Set<String> iterable(ObjectNode object) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
