package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.chat.TurnView;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * A turn in OpenAI's {@code chat.completion} and {@code chat.completion.chunk} shapes. The id is
 * {@code chatcmpl-<turn id>}, {@code model} the agent's id, {@code usage} the turn's summed tokens.
 * A turn still running (waiting for an approval, or past the wait) answers 202 with finish_reason
 * {@code awaiting_approval} or {@code in_progress} and a sentence saying where to read the answer; a
 * failed turn answers its error code's status in OpenAI's error shape.
 */
@Component
class ChatCompletions {

  static final String COMPLETION = "chat.completion";
  static final String CHUNK = "chat.completion.chunk";
  static final String STOP = "stop";
  static final String AWAITING_APPROVAL = "awaiting_approval";
  static final String IN_PROGRESS = "in_progress";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChatCompletion(
      String id, String object, long created, String model, List<ChatCompletionChoice> choices,
      ChatCompletionUsage usage, TurnExtension saturn) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ChatCompletionChoice(int index, ChatCompletionMessage message, String finishReason, Object logprobs) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ChatCompletionMessage(String role, String content, String refusal) {}

  record ChatCompletionUsage(long promptTokens, long completionTokens, long totalTokens) {

    static ChatCompletionUsage of(TurnView.Usage usage) {
      return usage == null
          ? null
          : new ChatCompletionUsage(
              usage.inputTokens(), usage.outputTokens(), usage.inputTokens() + usage.outputTokens());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChatCompletionChunk(
      String id, String object, long created, String model, List<ChatCompletionChunkChoice> choices,
      ChatCompletionUsage usage, TurnExtension saturn) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ChatCompletionChunkChoice(int index, ChatCompletionDelta delta, String finishReason, Object logprobs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChatCompletionDelta(String role, String content) {

    /** The delta of a chunk that only finishes. */
    static final ChatCompletionDelta NONE = new ChatCompletionDelta(null, null);
  }

  private final TurnViews views;

  ChatCompletions(TurnViews views) {
    this.views = views;
  }

  static String id(String turnId) {
    return "chatcmpl-" + turnId;
  }

  ResponseEntity<ChatCompletion> render(CompanyId company, TurnRow turn) {
    TurnView view = views.of(company, turn);
    failIfFailed(view);
    TurnExtension saturn = TurnExtension.of(view);
    if ("completed".equals(view.status())) {
      String content = view.message() == null ? "" : view.message().content();
      return ResponseEntity.ok(completion(turn, choice(content, STOP), ChatCompletionUsage.of(view.usage()), saturn));
    }
    boolean approval = view.pendingApprovals() != null && !view.pendingApprovals().isEmpty();
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(completion(turn,
        choice(TurnExtension.waitingText(view), approval ? AWAITING_APPROVAL : IN_PROGRESS), null, saturn));
  }

  private static ChatCompletionChoice choice(String content, String finishReason) {
    return new ChatCompletionChoice(0, new ChatCompletionMessage("assistant", content, null), finishReason, null);
  }

  /** A failed turn is the request's error: its code, status and public message, as on the native API. */
  static void failIfFailed(TurnView view) {
    if ("failed".equals(view.status())) {
      String code = view.error() == null ? null : view.error().code();
      String message = view.error() == null ? null : view.error().message();
      throw ApiException.of(ErrorCode.fromType(code), "Turn " + view.turnId() + " failed: " + message);
    }
  }

  private static ChatCompletion completion(
      TurnRow turn, ChatCompletionChoice choice, ChatCompletionUsage usage, TurnExtension saturn) {
    return new ChatCompletion(id(turn.id()), COMPLETION, turn.createdAt().getEpochSecond(), turn.agentId(),
        List.of(choice), usage, saturn);
  }

  static ChatCompletionChunk chunk(TurnRow turn, ChatCompletionDelta delta, String finishReason, TurnExtension saturn) {
    return new ChatCompletionChunk(id(turn.id()), CHUNK, turn.createdAt().getEpochSecond(), turn.agentId(),
        List.of(new ChatCompletionChunkChoice(0, delta, finishReason, null)), null, saturn);
  }

  /** The last chunk of a stream with {@code include_usage}: no choices, the turn's usage. */
  static ChatCompletionChunk usageChunk(TurnRow turn, TurnView.Usage usage) {
    return new ChatCompletionChunk(id(turn.id()), CHUNK, turn.createdAt().getEpochSecond(), turn.agentId(), List.of(),
        ChatCompletionUsage.of(usage), null);
  }
}
