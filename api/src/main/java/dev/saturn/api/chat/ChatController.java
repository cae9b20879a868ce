package dev.saturn.api.chat;

import dev.saturn.api.billing.Quotas;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
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

  private final TurnStarter starter;
  private final TurnViews views;
  private final Quotas quotas;

  ChatController(TurnStarter starter, TurnViews views, Quotas quotas) {
    this.starter = starter;
    this.views = views;
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
    TurnRow turn = starter.startAndAwait(new TurnStarter.StartTurn(
        caller.company(), agentId, request.sessionId(), request.message(), idempotencyKey, TurnChannel.REST));
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
