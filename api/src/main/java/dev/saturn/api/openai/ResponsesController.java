package dev.saturn.api.openai;

import dev.saturn.api.ApiController;
import dev.saturn.api.chat.TurnCanceller;
import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.ratelimit.StartsChatTurn;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * OpenAI's Responses API over chat turns: a response IS a turn ({@code resp_<turn id>}), started
 * through {@link TurnStarter}. {@code previous_response_id} continues that turn's session,
 * {@code instructions} go on the turn, {@code background} answers at once with the running turn,
 * which {@code GET} polls and {@code cancel} cancels (its workflow is cancelled).
 */
@ApiController
class ResponsesController {

  /** How long a cancel waits for the workflow to record the turn cancelled. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  private final AgentModels models;
  private final TurnStarter starter;
  private final TurnCanceller canceller;
  private final TurnRepository turns;
  private final ResponseObjects responses;
  private final TurnViews views;
  private final TurnStreams streams;
  private final OpenAiProperties properties;

  ResponsesController(
      AgentModels models, TurnStarter starter, TurnCanceller canceller, TurnRepository turns, ResponseObjects responses,
      TurnViews views, TurnStreams streams, OpenAiProperties properties) {
    this.models = models;
    this.starter = starter;
    this.canceller = canceller;
    this.turns = turns;
    this.responses = responses;
    this.views = views;
    this.streams = streams;
    this.properties = properties;
  }

  /**
   * The response when the turn ends within {@code saturn.openai-compat.result-wait}, else (or at once with
   * {@code background}) the response in progress; with {@code stream} true, Server-Sent Events (then
   * the return value is null: the stream was written to {@code response}).
   */
  @PostMapping("/v1/responses")
  @Operation(summary = "Create a response: one chat turn of an agent (OpenAI Responses API)")
  @Requires(Permission.CHAT)
  @StartsChatTurn
  public ResponseObjects.ResponseObject createResponse(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @RequestBody ResponseRequest request,
      HttpServletResponse response) {
    CompanyId company = caller.company();
    request.refuseUnsupported();
    Conversation conversation = request.toConversation();
    AgentRow agent = models.resolve(company, request.model());
    TurnStarter.StartTurn command = new TurnStarter.StartTurn(
        company, agent.id(), sessionToContinue(company, agent, request.previousResponseId()), conversation.message(),
        idempotencyKey, TurnChannel.OPENAI, conversation.instructions(), conversation.prior());
    if (request.streamed()) {
      streams.stream(command, response, sse -> new ResponseStream(sse, company, views, request.inBackground()));
      return null;
    }
    TurnRow turn = request.inBackground()
        ? turns.find(company, starter.start(command).turnId()).orElseThrow()
        : starter.startAndAwait(command, properties.resultWait());
    return responses.of(company, turn, request.inBackground());
  }

  private String sessionToContinue(CompanyId company, AgentRow agent, String previousResponseId) {
    if (previousResponseId == null) {
      return null;
    }
    TurnRow previous = responses.turnOf(company, previousResponseId, "previous_response_id");
    if (!previous.agentId().equals(agent.id())) {
      throw ApiException.invalidField("previous_response_id", "is a response of another agent than model");
    }
    return previous.sessionId();
  }

  @GetMapping("/v1/responses/{responseId}")
  @Operation(summary = "Get a response (poll a background response until it is completed, failed or cancelled)")
  @Requires(Permission.CHAT)
  public ResponseObjects.ResponseObject getResponse(Caller caller, @PathVariable String responseId) {
    return responses.of(caller.company(), responses.turnOf(caller.company(), responseId, null), null);
  }

  /** Cancels the turn's workflow; a response that has already ended is returned as it is. */
  @PostMapping("/v1/responses/{responseId}/cancel")
  @Operation(summary = "Cancel a response: its turn's workflow is cancelled and the turn fails TURN_CANCELLED")
  @Requires(Permission.CHAT)
  public ResponseObjects.ResponseObject cancelResponse(Caller caller, @PathVariable String responseId) {
    TurnRow turn = responses.turnOf(caller.company(), responseId, null);
    return responses.of(caller.company(), canceller.cancel(caller.company(), turn.id(), CANCEL_WAIT), null);
  }
}
