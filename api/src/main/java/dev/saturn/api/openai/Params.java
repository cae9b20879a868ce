package dev.saturn.api.openai;

import dev.saturn.api.web.ApiException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks shared by the OpenAI-compatible requests: which optional values are neutral (accepted),
 * and the 400s for what an agent cannot honour, each naming its parameter.
 */
final class Params {

  /** Client-side tools: an agent calls its own tools, configured on the agent. */
  static final String OWN_TOOLS = "is not supported: agents call their own tools (configure them on the agent)";

  private Params() {}

  /** A member the client actually sent: absent and JSON null both mean "not given". */
  static boolean given(JsonNode node) {
    return node != null && !node.isNull();
  }

  static ApiException unsupported(String param, String why) {
    return ApiException.invalidField(param, why);
  }

  /** An empty list is neutral; anything else is refused. */
  static void refuseNonEmpty(java.util.List<?> list, String param, String why) {
    if (list != null && !list.isEmpty()) {
      throw unsupported(param, why);
    }
  }

  /** Empty lists and objects are neutral; anything else is refused. */
  static void refuseNonEmpty(JsonNode node, String param, String why) {
    if (given(node) && !(node.isArray() && node.isEmpty()) && !(node.isObject() && node.isEmpty())) {
      throw unsupported(param, why);
    }
  }

  static void refuseGiven(JsonNode node, String param, String why) {
    if (given(node)) {
      throw unsupported(param, why);
    }
  }

  /** {@code tool_choice}-like values: only the strings that leave the agent in charge. */
  static void onlyStrings(JsonNode node, String param, Set<String> allowed, String why) {
    if (given(node) && !(node.isString() && allowed.contains(node.stringValue()))) {
      throw unsupported(param, why);
    }
  }

  /** The text of a message's {@code content}: a string, or text parts of the given types, joined by newlines. */
  static String text(JsonNode content, String param, Set<String> partTypes) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isString()) {
      return content.stringValue();
    }
    if (!content.isArray()) {
      throw unsupported(param, "must be a string or an array of text parts");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = part.path("type").asString("");
      if (!partTypes.contains(type) || !part.path("text").isString()) {
        throw unsupported(param + "[" + i + "]",
            "is not supported: only text parts (" + String.join(", ", partTypes) + ") are; agents read text");
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(part.path("text").stringValue());
    }
    return text.toString();
  }
}
