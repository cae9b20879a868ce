package dev.saturn.api.openai;

import dev.saturn.api.web.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/responses}. Every member OpenAI defines is declared, so an unknown one
 * is a 400 naming it. What they mean here (docs/api.md):
 *
 * <ul>
 *   <li>used: {@code model}, {@code input}, {@code instructions}, {@code previous_response_id},
 *       {@code stream}, {@code background};
 *   <li>accepted and ignored, the agent's configuration decides: {@code temperature}, {@code top_p},
 *       {@code max_output_tokens}, {@code max_tool_calls}, {@code parallel_tool_calls},
 *       {@code reasoning}, {@code truncation}, {@code user}, {@code safety_identifier},
 *       {@code service_tier}, {@code prompt_cache_key}, {@code prompt_cache_retention},
 *       {@code metadata}, {@code stream_options};
 *   <li>accepted in their neutral value only: {@code store} true, {@code tool_choice} none or auto,
 *       {@code text.format} text, {@code top_logprobs} 0, empty {@code tools} and {@code include};
 *   <li>refused: anything else in those, and {@code conversation}, {@code prompt}.
 * </ul>
 */
record ResponseRequest(
    String model,
    JsonNode input,
    String instructions,
    String previousResponseId,
    Boolean stream,
    Boolean background,
    Boolean store,
    JsonNode metadata,
    Double temperature,
    Double topP,
    Integer maxOutputTokens,
    Integer maxToolCalls,
    Boolean parallelToolCalls,
    JsonNode reasoning,
    String truncation,
    String user,
    String safetyIdentifier,
    String serviceTier,
    String promptCacheKey,
    String promptCacheRetention,
    JsonNode streamOptions,
    JsonNode toolChoice,
    JsonNode text,
    Integer topLogprobs,
    @Schema(description = "refused unless empty: agents call their own tools") List<JsonNode> tools,
    @Schema(description = "refused unless empty") List<String> include,
    JsonNode conversation,
    JsonNode prompt) {

  private static final Set<String> TEXT_PARTS = Set.of("input_text", "output_text", "text");
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  boolean streamed() {
    return Boolean.TRUE.equals(stream);
  }

  boolean inBackground() {
    return Boolean.TRUE.equals(background);
  }

  /** @throws ApiException 400 naming the first parameter an agent cannot honour */
  void refuseUnsupported() {
    Params.refuseNonEmpty(tools, "tools", Params.OWN_TOOLS);
    Params.onlyStrings(toolChoice, "tool_choice", Set.of("none", "auto"),
        "may only be none or auto: agents choose their own tools");
    if (Boolean.FALSE.equals(store)) {
      throw Params.unsupported("store", "may only be true: every response is a stored, durable turn");
    }
    JsonNode format = Params.given(text) ? text.get("format") : null;
    if (Params.given(format) && !"text".equals(format.path("type").asString(""))) {
      throw Params.unsupported("text.format",
          "may only be {\"type\": \"text\"}: the agent's configuration decides its output");
    }
    if (topLogprobs != null && topLogprobs != 0) {
      throw Params.unsupported("top_logprobs", "is not supported");
    }
    Params.refuseNonEmpty(include, "include", "is not supported");
    Params.refuseGiven(conversation, "conversation", "is not supported: continue a session with previous_response_id");
    Params.refuseGiven(prompt, "prompt", "is not supported: the agent's configuration is its prompt");
    if (Params.given(streamOptions) && !streamed()) {
      throw Params.unsupported("stream_options", "is only allowed when stream is true");
    }
  }

  /**
   * {@code input} as a turn sees it: a string is the user's message; a list of messages is a
   * conversation whose last user message is the input ({@link Conversation}).
   */
  Conversation toConversation() {
    if (!Params.given(input)) {
      throw ApiException.invalidField("input", "is required: a string or a list of messages");
    }
    if (input.isString()) {
      return Conversation.of(
          List.of(new Conversation.Entry("user", input.stringValue(), "input")), "input", instructions);
    }
    if (!input.isArray() || input.isEmpty()) {
      throw ApiException.invalidField("input", "must be a string or a non-empty list of messages");
    }
    List<Conversation.Entry> entries = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      String param = "input[" + i + "]";
      JsonNode item = input.get(i);
      if (!item.isObject()) {
        throw ApiException.invalidField(param, "must be a message object with a role and content");
      }
      String type = item.path("type").asString("message");
      if (!"message".equals(type)) {
        throw Params.unsupported(param + ".type", "'" + type + "' is not supported: only messages are; agents call "
            + "their own tools");
      }
      String role = item.path("role").asString("");
      if (!ROLES.contains(role)) {
        throw ApiException.invalidField(param + ".role", "must be one of system, developer, user, assistant");
      }
      String text = Params.text(item.get("content"), param + ".content", TEXT_PARTS);
      entries.add(new Conversation.Entry(role, text, param));
    }
    return Conversation.of(entries, "input", instructions);
  }
}
