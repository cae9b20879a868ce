package dev.saturn.api.openai;

import dev.saturn.api.web.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/chat/completions}. Every member OpenAI defines is declared, so an
 * unknown one is a 400 naming it (as OpenAI answers). What they mean here (docs/api.md):
 *
 * <ul>
 *   <li>used: {@code model}, {@code messages}, {@code stream}, {@code stream_options.include_usage},
 *       {@code user} and {@code metadata.session_id} (the session to continue);
 *   <li>accepted and ignored, the agent's configuration decides: {@code temperature}, {@code top_p},
 *       {@code max_tokens}, {@code max_completion_tokens}, {@code seed}, {@code frequency_penalty},
 *       {@code presence_penalty}, {@code store}, {@code service_tier}, {@code prompt_cache_key},
 *       {@code safety_identifier}, {@code reasoning_effort}, {@code verbosity},
 *       {@code parallel_tool_calls}, {@code stream_options.include_obfuscation}, other {@code metadata};
 *   <li>accepted in their neutral value only: {@code n} 1, {@code tool_choice} and
 *       {@code function_call} {@code none} or {@code auto}, {@code response_format} text,
 *       {@code modalities} text, {@code logprobs} false, {@code top_logprobs} 0, empty {@code tools},
 *       {@code functions}, {@code stop}, {@code logit_bias};
 *   <li>refused: anything else in those, and {@code audio}, {@code prediction},
 *       {@code web_search_options}.
 * </ul>
 */
record ChatCompletionRequest(
    String model,
    List<JsonNode> messages,
    Boolean stream,
    ChatStreamOptions streamOptions,
    String user,
    JsonNode metadata,
    Double temperature,
    Double topP,
    Integer maxTokens,
    Integer maxCompletionTokens,
    Long seed,
    Double frequencyPenalty,
    Double presencePenalty,
    Boolean store,
    String serviceTier,
    String promptCacheKey,
    String safetyIdentifier,
    String reasoningEffort,
    String verbosity,
    Boolean parallelToolCalls,
    Integer n,
    JsonNode toolChoice,
    JsonNode functionCall,
    JsonNode responseFormat,
    List<String> modalities,
    Boolean logprobs,
    Integer topLogprobs,
    @Schema(description = "refused unless empty: agents call their own tools") List<JsonNode> tools,
    @Schema(description = "refused unless empty: agents call their own tools") List<JsonNode> functions,
    JsonNode stop,
    JsonNode logitBias,
    JsonNode audio,
    JsonNode prediction,
    JsonNode webSearchOptions) {

  record ChatStreamOptions(Boolean includeUsage, Boolean includeObfuscation) {}

  private static final Set<String> TEXT_PARTS = Set.of("text");
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  boolean streamed() {
    return Boolean.TRUE.equals(stream);
  }

  boolean includeUsage() {
    return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
  }

  /** @throws ApiException 400 naming the first parameter an agent cannot honour */
  void refuseUnsupported() {
    Params.refuseNonEmpty(tools, "tools", Params.OWN_TOOLS);
    Params.refuseNonEmpty(functions, "functions", Params.OWN_TOOLS);
    Params.onlyStrings(toolChoice, "tool_choice", Set.of("none", "auto"),
        "may only be none or auto: agents choose their own tools");
    Params.onlyStrings(functionCall, "function_call", Set.of("none", "auto"),
        "may only be none or auto: agents choose their own tools");
    if (n != null && n != 1) {
      throw Params.unsupported("n", "must be 1: a turn has one answer");
    }
    if (Params.given(responseFormat) && !"text".equals(responseFormat.path("type").asString(""))) {
      throw Params.unsupported("response_format",
          "may only be {\"type\": \"text\"}: the agent's configuration decides its output");
    }
    if (modalities != null && !modalities.equals(List.of("text"))) {
      throw Params.unsupported("modalities", "may only be [\"text\"]");
    }
    if (Boolean.TRUE.equals(logprobs)) {
      throw Params.unsupported("logprobs", "is not supported");
    }
    if (topLogprobs != null && topLogprobs != 0) {
      throw Params.unsupported("top_logprobs", "is not supported");
    }
    Params.refuseNonEmpty(stop, "stop", "is not supported: the agent's configuration decides how the model stops");
    Params.refuseNonEmpty(logitBias, "logit_bias", "is not supported");
    Params.refuseGiven(audio, "audio", "is not supported: agents answer in text");
    Params.refuseGiven(prediction, "prediction", "is not supported");
    Params.refuseGiven(webSearchOptions, "web_search_options", "is not supported: agents use their own tools");
    if (streamOptions != null && !streamed()) {
      throw Params.unsupported("stream_options", "is only allowed when stream is true");
    }
  }

  /**
   * The session named by {@code user} or {@code metadata.session_id}; null for a new session.
   *
   * @throws ApiException 400 when both name different sessions
   */
  String sessionId() {
    JsonNode named = Params.given(metadata) ? metadata.get("session_id") : null;
    if (Params.given(metadata) && !metadata.isObject()) {
      throw Params.unsupported("metadata", "must be an object of strings");
    }
    if (Params.given(named) && !named.isString()) {
      throw Params.unsupported("metadata.session_id", "must be a string");
    }
    String fromMetadata = Params.given(named) ? named.stringValue() : null;
    if (user != null && fromMetadata != null && !user.equals(fromMetadata)) {
      throw Params.unsupported("user", "names another session than metadata.session_id");
    }
    return user != null ? user : fromMetadata;
  }

  /** The messages as a turn sees them ({@link Conversation}). */
  Conversation toConversation() {
    if (messages == null || messages.isEmpty()) {
      throw ApiException.invalidField("messages", "must be a non-empty array of messages");
    }
    List<Conversation.Entry> entries = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      String param = "messages[" + i + "]";
      JsonNode message = messages.get(i);
      if (message == null || !message.isObject()) {
        throw ApiException.invalidField(param, "must be an object with a role and content");
      }
      String role = message.path("role").asString("");
      if ("tool".equals(role) || "function".equals(role)) {
        throw Params.unsupported(param + ".role", "'" + role + "' is not supported: tool results belong to client-side "
            + "tools, and agents call their own tools");
      }
      if (!ROLES.contains(role)) {
        throw ApiException.invalidField(param + ".role", "must be one of system, developer, user, assistant");
      }
      Params.refuseNonEmpty(message.get("tool_calls"), param + ".tool_calls", Params.OWN_TOOLS);
      Params.refuseGiven(message.get("function_call"), param + ".function_call", Params.OWN_TOOLS);
      Params.refuseGiven(message.get("audio"), param + ".audio", "is not supported: agents read text");
      String text = Params.text(message.get("content"), param + ".content", TEXT_PARTS);
      entries.add(new Conversation.Entry(role, text, param));
    }
    return Conversation.of(entries, "messages", null);
  }
}
