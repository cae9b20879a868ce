package dev.saturn.api.openai;

import dev.saturn.db.common.CompanyId;
import java.time.Duration;

/**
 * What a streamed OpenAI answer is made of, one turn at a time: text as it is produced, a pending
 * approval, the end. This is the seam where token streaming plugs in: {@link JournalTurnFeed} reads
 * the turn's stored events (the whole answer arrives as one piece when the turn completes); a feed
 * over the streaming push path gives the model's deltas as they come. The stream writers do not
 * change.
 */
interface TurnFeed {

  /** Follows the turn from its first event; a turn that has already ended is replayed to its end. */
  Subscription follow(CompanyId company, String turnId);

  interface Subscription extends AutoCloseable {

    /** The next happening, or null when none came within {@code wait}. */
    Happening next(Duration wait) throws InterruptedException;

    @Override
    void close();
  }

  sealed interface Happening {}

  /** More of the answer's text. */
  record TextDelta(String text) implements Happening {}

  /** The turn waits for a person to decide a tool call. */
  record AwaitingApproval(String callId) implements Happening {}

  /** The turn completed or failed; its row says which. */
  record Ended() implements Happening {}
}
