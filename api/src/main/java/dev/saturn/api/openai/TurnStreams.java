package dev.saturn.api.openai;

import dev.saturn.api.chat.TurnStarter;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a turn and streams it as Server-Sent Events in a shape of the caller's choosing
 * ({@link Renderer}): chat completion chunks or Responses events. The turn is accepted and started
 * by {@link TurnStarter} like any other, inside one of the company's event-stream slots, so a
 * refusal (unknown agent, quota, ceiling, no Temporal) is still an ordinary JSON error; the stream
 * opens after that, follows the turn's events through {@link TurnFeed}, and ends when the turn ends, starts
 * waiting for an approval, or {@code saturn.openai-compat.stream-timeout} passes. The turn never depends on
 * the stream: a client that goes away leaves it running.
 */
@Component
class TurnStreams {

  private static final Logger log = LoggerFactory.getLogger(TurnStreams.class);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** One stream's shape; called on the request thread, in order. */
  interface Renderer {

    void started(TurnRow turn) throws IOException;

    void text(String delta) throws IOException;

    void awaitingApproval(TurnRow turn) throws IOException;

    void ended(TurnRow turn) throws IOException;

    void timedOut(TurnRow turn) throws IOException;

    /** Something broke after the stream opened: say so in the stream's own error shape. */
    void broken() throws IOException;
  }

  private final TurnStarter starter;
  private final TurnRepository turns;
  private final JsonMapper json;
  private final OpenAiProperties properties;

  TurnStreams(
      TurnStarter starter, TurnRepository turns, JsonMapper json, OpenAiProperties properties) {
    this.starter = starter;
    this.turns = turns;
    this.json = json;
    this.properties = properties;
  }

  void stream(TurnStarter.StartTurn command, HttpServletResponse response, Function<SseWriter, Renderer> shape) {
    CompanyId company = command.company();
    // Holds one of the company's event-stream slots while open, taken before the turn is accepted.
    TurnStarter.StreamedTurn streamed = starter.startAndStream(command);
    try (TurnFeed events = new TurnFeed(streamed.events())) {
      SseWriter sse = new SseWriter(response, json);
      sse.open();
      Renderer renderer = shape.apply(sse);
      try {
        follow(company, streamed.turn().turnId(), events, sse, renderer);
      } catch (RuntimeException e) {
        log.warn("stream of turn {} broke: {}", streamed.turn().turnId(), e.toString());
        renderer.broken();
      }
    } catch (IOException clientGone) {
      log.debug("stream client went away: {}", clientGone.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void follow(CompanyId company, String turnId, TurnFeed events, SseWriter sse, Renderer renderer)
      throws IOException, InterruptedException {
    renderer.started(turn(company, turnId));
    long deadline = System.nanoTime() + properties.streamTimeout().toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        renderer.timedOut(turn(company, turnId));
        return;
      }
      TurnFeed.Happening next = events.next(Duration.ofNanos(Math.min(left, KEEP_ALIVE.toNanos())));
      if (next == null) {
        sse.keepAlive();
      } else if (next instanceof TurnFeed.TextDelta delta) {
        renderer.text(delta.text());
      } else if (next instanceof TurnFeed.AwaitingApproval) {
        renderer.awaitingApproval(turn(company, turnId));
        return;
      } else {
        renderer.ended(turn(company, turnId));
        return;
      }
    }
  }

  private TurnRow turn(CompanyId company, String turnId) {
    return turns.find(company, turnId).orElseThrow();
  }
}
