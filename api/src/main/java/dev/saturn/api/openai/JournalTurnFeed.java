package dev.saturn.api.openai;

import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.common.CompanyId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stop-gap {@link TurnFeed} until token streaming lands: polls the turn's {@code turn_events}
 * (what the activities stored) the way {@code GET /v1/turns/{id}/events} does. The answer comes as
 * one {@link TextDelta} with the {@code final_message} event, the same text as the stored answer.
 */
@Component
class JournalTurnFeed implements TurnFeed {

  private static final long POLL_MS = 250;
  private static final int BATCH = 200;

  private final TurnEventRepository events;
  private final JsonMapper json;

  JournalTurnFeed(TurnEventRepository events, JsonMapper json) {
    this.events = events;
    this.json = json;
  }

  @Override
  public Subscription follow(CompanyId company, String turnId) {
    return new Subscription() {
      private final Deque<Happening> ready = new ArrayDeque<>();
      private int seq;

      @Override
      public Happening next(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (ready.isEmpty()) {
          for (TurnEventRow event : events.after(company, turnId, seq, BATCH)) {
            seq = event.seq();
            Happening happening = happening(event);
            if (happening != null) {
              ready.add(happening);
            }
          }
          if (!ready.isEmpty()) {
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          Thread.sleep(Math.min(POLL_MS, Math.max(1, left / 1_000_000)));
        }
        return ready.poll();
      }

      @Override
      public void close() {
        ready.clear();
      }
    };
  }

  private Happening happening(TurnEventRow event) {
    return switch (event.type()) {
      case "final_message" -> new TextDelta(data(event).path("content").asString(""));
      case "tool_call_awaiting_approval" -> new AwaitingApproval(data(event).path("call_id").asString(""));
      case "turn_completed", "turn_failed" -> new Ended();
      default -> null;
    };
  }

  private JsonNode data(TurnEventRow event) {
    try {
      return json.readTree(event.dataJson());
    } catch (JacksonException e) {
      return json.getNodeFactory().objectNode();
    }
  }
}
