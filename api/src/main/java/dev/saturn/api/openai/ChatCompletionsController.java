package dev.saturn.api.openai;

import dev.saturn.api.ApiController;
import dev.saturn.api.billing.Quotas;
import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.ratelimit.StartsChatTurn;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.TurnRow;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * {@code POST /v1/chat/completions}: one chat turn of the agent named by {@code model}, started
 * through {@link TurnStarter} like every channel's. The last user message is the turn's input. A
 * session named by {@code user} or {@code metadata.session_id} is continued and the request's earlier
 * messages are ignored in favour of its own history; without one, the earlier messages become the
 * new session's first messages. System and developer messages are the turn's instructions.
 */
@ApiController
class ChatCompletionsController {

  private final AgentModels models;
  private final TurnStarter starter;
  private final ChatCompletions completions;
  private final TurnViews views;
  private final TurnStreams streams;
  private final OpenAiProperties properties;
  private final Quotas quotas;

  ChatCompletionsController(
      AgentModels models, TurnStarter starter, ChatCompletions completions, TurnViews views, TurnStreams streams,
      OpenAiProperties properties, Quotas quotas) {
    this.models = models;
    this.starter = starter;
    this.completions = completions;
    this.views = views;
    this.streams = streams;
    this.properties = properties;
    this.quotas = quotas;
  }

  /**
   * 200 with the answer; 202 when the turn waits for an approval or is still running after
   * {@code saturn.openai-compat.result-wait}; with {@code stream} true, Server-Sent Events (then the return
   * value is null: the stream was written to {@code response}).
   */
  @PostMapping("/v1/chat/completions")
  @Operation(summary = "Chat with an agent as an OpenAI chat completion (OpenAI-compatible)")
  @Requires(Permission.CHAT)
  @StartsChatTurn
  public ResponseEntity<ChatCompletions.ChatCompletion> createChatCompletion(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @RequestBody ChatCompletionRequest request,
      HttpServletResponse response) {
    request.refuseUnsupported();
    Conversation conversation = request.toConversation();
    String sessionId = request.sessionId();
    AgentRow agent = models.resolve(caller.company(), request.model());
    TurnStarter.StartTurn command = new TurnStarter.StartTurn(
        caller.company(), agent.id(), sessionId, conversation.message(), idempotencyKey, TurnChannel.OPENAI,
        conversation.instructions(), sessionId == null ? conversation.prior() : List.of());
    if (request.streamed()) {
      streams.stream(command, response,
          sse -> new ChatCompletionStream(sse, caller.company(), views, request.includeUsage()));
      return null;
    }
    TurnRow turn = starter.startAndAwait(command, properties.resultWait());
    ResponseEntity<ChatCompletions.ChatCompletion> answer = completions.render(caller.company(), turn);
    return ResponseEntity.status(answer.getStatusCode()).headers(quotas.headers(caller.company()))
        .body(answer.getBody());
  }
}
