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
import dev.saturn.db.chat.TurnViewReads;
import dev.saturn.workflows.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import dev.saturn.api.ApiController;

@ApiController
class ChatController {

  private final TurnStarter starter;
  private final TurnViews views;
  private final Quotas quotas;
  private final SseTurnStreams sse;

  ChatController(TurnStarter starter, TurnViews views, Quotas quotas, SseTurnStreams sse) {
    this.starter = starter;
    this.views = views;
    this.quotas = quotas;
    this.sse = sse;
  }

  record ChatRequest(@NotBlank String message, @Size(max = 36) String sessionId) {}

  /**
   * 200 with the answer when the turn finishes within the deadline, 202 with the turn id
   * otherwise; a failed turn answers with its error code. With {@code Accept: text/event-stream}
   * the turn's events instead, as it runs, ending with {@code turn.completed} (data: the body the
   * 200 would have) or {@code turn.failed} (the problem body). One handler for both, chosen by the
   * Accept header: two handlers told apart by {@code produces} would leave a client that accepts
   * anything to Spring's tie-breaking.
   */
  @PostMapping("/v1/agents/{agentId}/chat")
  @Operation(summary = "Send a message to an agent as one chat turn; with Accept: text/event-stream, stream it")
  @ApiResponse(responseCode = "200", description = "the turn completed (JSON), or its events (text/event-stream)", content = {
      @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TurnView.class)),
      @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"))})
  @ApiResponse(responseCode = "202", description = "the turn is still running", content =
      @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TurnView.class)))
  @Requires(Permission.CHAT)
  @StartsChatTurn
  public Object chat(
      Caller caller,
      @PathVariable String agentId,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
      @Valid @RequestBody ChatRequest request,
      HttpServletRequest httpRequest,
      HttpServletResponse httpResponse) {
    TurnStarter.StartTurn command = new TurnStarter.StartTurn(
        caller.company(), agentId, request.sessionId(), request.message(), idempotencyKey, TurnChannel.REST);
    if (wantsEventStream(accept)) {
      TurnStarter.StreamedTurn streamed = starter.startAndStream(command);
      httpResponse.setHeader(HttpHeaders.LOCATION, "/v1/turns/" + streamed.turn().turnId());
      quotas.headers(caller.company()).forEach((name, values) -> values.forEach(value -> httpResponse.addHeader(name, value)));
      return sse.open(streamed.events(), httpRequest, httpResponse);
    }
    TurnViewReads.TurnWithAnswer answered = starter.startAndAwaitAnswer(command);
    TurnRow turn = answered.turn();
    if (turn.status() == TurnStatus.FAILED) {
      throw ApiException.of(ErrorCode.fromType(turn.errorCode()),
          "Turn " + turn.id() + " failed: " + TurnErrors.publicMessage(turn.errorCode(), turn.errorMessage()));
    }
    TurnView view = views.of(caller.company(), answered);
    HttpStatus status = turn.status() == TurnStatus.COMPLETED ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).location(URI.create("/v1/turns/" + turn.id()))
        .headers(quotas.headers(caller.company())).body(view);
  }

  /** An Accept header that names {@code text/event-stream} (a wildcard alone keeps the JSON answer). */
  static boolean wantsEventStream(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    try {
      return MediaType.parseMediaTypes(accept).stream().anyMatch(type -> type.equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
