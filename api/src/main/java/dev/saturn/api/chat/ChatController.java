package dev.saturn.api.chat;

import dev.saturn.api.billing.Quotas;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.api.ratelimit.StartsChatTurn;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.workflows.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import dev.saturn.api.ApiController;

@ApiController
@Validated
class ChatController {

  private final ChatService chat;
  private final TurnViews views;
  private final ChatProperties properties;
  private final Quotas quotas;
  private final CompanyConcurrency concurrency;

  ChatController(
      ChatService chat, TurnViews views, ChatProperties properties, Quotas quotas, CompanyConcurrency concurrency) {
    this.concurrency = concurrency;
    this.chat = chat;
    this.views = views;
    this.properties = properties;
    this.quotas = quotas;
  }

  record ChatRequest(@NotBlank String message, @Size(max = 36) String sessionId) {}

  /**
   * 200 with the answer when the turn finishes within the deadline, 202 with the turn id
   * otherwise; a failed turn answers with its error code.
   */
  @PostMapping("/v1/agents/{agentId}/chat")
  @Operation(summary = "Send a message to an agent as one chat turn")
  @Requires(Permission.CHAT)
  @StartsChatTurn
  public ResponseEntity<TurnView> chat(
      Caller caller,
      @PathVariable String agentId,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @Valid @RequestBody ChatRequest request) {
    IdempotentRequests.validateKey(idempotencyKey);
    if (request.message().length() > properties.maxMessageChars()) {
      throw ApiException.invalidField("message", "must be at most " + properties.maxMessageChars() + " characters");
    }
    TurnRow turn;
    // The request holds a thread while it waits for the answer: at most so many per company.
    try (CompanyConcurrency.Permit waiting = concurrency.acquire(caller.company(), CompanyConcurrency.Kind.CHAT_REQUESTS)) {
      turn = chat.chat(caller, new ChatService.ChatCommand(agentId, request.sessionId(), request.message(), idempotencyKey));
    }
    if (turn.status() == TurnStatus.FAILED) {
      throw ApiException.of(ErrorCode.fromType(turn.errorCode()),
          "Turn " + turn.id() + " failed: " + TurnErrors.publicMessage(turn.errorCode(), turn.errorMessage()));
    }
    TurnView view = views.of(caller.company(), turn);
    HttpStatus status = turn.status() == TurnStatus.COMPLETED ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).location(URI.create("/v1/turns/" + turn.id()))
        .headers(quotas.headers(caller.company())).body(view);
  }
}
