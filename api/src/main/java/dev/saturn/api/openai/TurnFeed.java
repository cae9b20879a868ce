package dev.saturn.api.openai;

import dev.saturn.api.chat.TurnEvent;
import dev.saturn.api.chat.TurnEventStream;
import java.time.Duration;
import java.util.Optional;

/**
 * What a streamed OpenAI answer is made of, read from the turn's event stream (the same events the
 * native SSE stream shows): text as the model produces it, a pending approval, the end.
 *
 * <p>OpenAI's chunks cannot take text back, so a {@code message.reset} (the model call was retried
 * after its worker died mid-answer) is not passed on: the retried attempt's text is held until it
 * gets past what was already sent, and only the rest is sent. Whatever of the final answer no
 * delta carried (a provider that does not stream, a retry that wrote less) comes with {@code
 * message.completed}, so the chunks join to the stored answer whenever the retried attempt repeats
 * the first one's beginning.
 */
final class TurnFeed implements AutoCloseable {

  sealed interface Happening {}

  /** More of the answer's text. */
  record TextDelta(String text) implements Happening {}

  /** The turn waits for a person to decide a tool call. */
  record AwaitingApproval(String callId) implements Happening {}

  /** The turn completed or failed; its row says which. */
  record Ended() implements Happening {}

  private final TurnEventStream events;
  /** The current model call's text as sent to the client. */
  private final StringBuilder sent = new StringBuilder();
  /** After a reset: the retried attempt's text so far, until it is longer than {@link #sent}. */
  private StringBuilder retried;

  TurnFeed(TurnEventStream events) {
    this.events = events;
  }

  /** The next happening, or null when none came within {@code wait}. */
  Happening next(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Optional<TurnEvent> event = events.next(Duration.ofNanos(left));
      if (event.isEmpty()) {
        return events.isFinished() ? new Ended() : null;
      }
      Happening happening = happening(event.get());
      if (happening != null) {
        return happening;
      }
    }
  }

  private Happening happening(TurnEvent event) {
    return switch (event.type()) {
      case STEP_STARTED -> {
        sent.setLength(0);
        retried = null;
        yield null;
      }
      case MESSAGE_RESET -> {
        retried = new StringBuilder();
        yield null;
      }
      case MESSAGE_DELTA -> text(event.text());
      case MESSAGE_COMPLETED -> rest(event.data().path("content").asString(""));
      case APPROVAL_REQUESTED -> new AwaitingApproval(event.data().path("call_id").asString(""));
      case TURN_COMPLETED, TURN_FAILED -> new Ended();
      default -> null;
    };
  }

  private Happening text(String text) {
    if (retried == null) {
      sent.append(text);
      return text.isEmpty() ? null : new TextDelta(text);
    }
    retried.append(text);
    if (retried.length() <= sent.length()) {
      return null;
    }
    String attempt = retried.toString();
    retried = null;
    return rest(attempt);
  }

  /** What of {@code text} goes beyond what was sent of this model call. */
  private Happening rest(String text) {
    if (text.length() <= sent.length()) {
      return null;
    }
    String more = text.substring(sent.length());
    sent.append(more);
    return new TextDelta(more);
  }

  @Override
  public void close() {
    events.close();
  }
}
