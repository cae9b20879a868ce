package dev.saturn.activities.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.PromptMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request the {@link OpenAiStandIn} received.
 *
 * @param number 1-based, in arrival order
 * @param headers case-insensitive names
 * @param body the parsed JSON body, or {@code null} when it was not JSON
 */
public record RecordedRequest(
    int number,
    String method,
    String path,
    Map<String, List<String>> headers,
    String rawBody,
    JsonNode body) {

  public RecordedRequest {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
  }

  /** A copy, so one test's poking can't change what another assertion sees. */
  @Override
  public JsonNode body() {
    return body == null ? null : body.deepCopy();
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String model() {
    return text(body, "model");
  }

  /** {@code null} when the client sent none. */
  public Double temperature() {
    JsonNode node = body == null ? null : body.get("temperature");
    return node == null || node.isNull() ? null : node.asDouble();
  }

  /** The chat messages in order; array ("content parts") contents are joined text parts. */
  public List<PromptMessage> messages() {
    List<PromptMessage> messages = new ArrayList<>();
    JsonNode array = body == null ? null : body.get("messages");
    if (array == null || !array.isArray()) {
      return messages;
    }
    for (JsonNode message : array) {
      messages.add(new PromptMessage(text(message, "role"), content(message.get("content"))));
    }
    return messages;
  }

  /** The names of the tools offered to the model, in order. */
  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    JsonNode tools = body == null ? null : body.get("tools");
    if (tools != null && tools.isArray()) {
      tools.forEach(tool -> names.add(tool.path("function").path("name").asText()));
    }
    return names;
  }

  /** The messages with role "tool" (tool results), as {@code tool_call_id -> content}. */
  public Map<String, String> toolResults() {
    Map<String, String> results = new java.util.LinkedHashMap<>();
    JsonNode array = body == null ? null : body.get("messages");
    if (array != null && array.isArray()) {
      for (JsonNode message : array) {
        if ("tool".equals(text(message, "role"))) {
          results.put(text(message, "tool_call_id"), content(message.get("content")));
        }
      }
    }
    return results;
  }

  /** The last message with role "user", or {@code null}. */
  public String lastUserMessage() {
    List<PromptMessage> messages = messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role())) {
        return messages.get(i).content();
      }
    }
    return null;
  }

  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.hasNonNull("text")) {
          text.append(part.get("text").asText());
        }
      }
      return text.toString();
    }
    return content.asText();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
