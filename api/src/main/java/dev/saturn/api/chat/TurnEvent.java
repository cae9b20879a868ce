package dev.saturn.api.chat;

import dev.saturn.db.chat.TurnEventType;
import tools.jackson.databind.JsonNode;

/**
 * One event of a turn as every channel shows it (SSE's {@code id}, {@code event} and {@code data}).
 *
 * @param seq the event's number within the turn, from 1: a client that has seen it resumes after it
 * @param data the event's body, redacted: for {@link TurnEventType#TURN_COMPLETED} the turn view
 *     (the same body {@code POST /v1/agents/{id}/chat} answers with), for {@link
 *     TurnEventType#TURN_FAILED} the problem body the chat call would answer with, else what the
 *     event type documents (docs/api.md, "Turn events")
 */
public record TurnEvent(int seq, TurnEventType type, JsonNode data) {

  /** The text of a {@code message.delta}; empty for other types. */
  public String text() {
    return type == TurnEventType.MESSAGE_DELTA ? data.path("text").asString("") : "";
  }

  /** The model call (step) a {@code message.delta}, {@code message.reset} or step event belongs to; 0 when none. */
  public int step() {
    return data.path("step").asInt(0);
  }
}
