package dev.saturn.api.chat;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /v1/turns/{id}/events}: the turn's events as Server-Sent Events, from the journal
 * (what activities wrote, redacted) and then live. Each event's SSE id is its per-turn seq, so a
 * client reconnecting with {@code Last-Event-ID} gets exactly what it missed, from any API process
 * and across restarts. The stream ends after the turn's last event.
 */
@ApiController
class TurnEventsController {

  private final TurnEvents events;
  private final SseTurnStreams sse;

  TurnEventsController(TurnEvents events, SseTurnStreams sse) {
    this.events = events;
    this.sse = sse;
  }

  @GetMapping("/v1/turns/{turnId}/events")
  @Operation(summary = "Stream a turn's events (Server-Sent Events); resume with Last-Event-ID")
  @Requires(Permission.CHAT)
  public SseEmitter events(
      Caller caller,
      @PathVariable String turnId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      HttpServletRequest request,
      HttpServletResponse response) {
    TurnEventStream stream = events.subscribe(caller.company(), turnId, parse(lastEventId));
    return sse.open(stream, request, response);
  }

  static int parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      int value = Integer.parseInt(lastEventId.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.invalidField("Last-Event-ID", "must be the id of an event of this stream (a number)");
    }
  }
}
