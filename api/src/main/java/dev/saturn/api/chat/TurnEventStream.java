package dev.saturn.api.chat;

import java.time.Duration;
import java.util.Optional;

/**
 * A subscription to one turn's events, in order, from a position on; what every channel that shows
 * a turn as it runs reads (SSE on {@code POST /v1/agents/{id}/chat} and {@code GET
 * /v1/turns/{id}/events} today; OpenAI-style {@code chat.completion.chunk}s and WebSocket frames
 * are mappings of the same events). Get one from {@link TurnEvents#subscribe} or {@link
 * TurnStarter#startAndStream}.
 *
 * <p>Pull-based, so the reader sets the pace: events wait in a bounded buffer; a reader that falls
 * further behind loses nothing, it reads on from the journal (the database) where it stands. The
 * stream ends after the turn's last event ({@code turn.completed} or {@code turn.failed}). While
 * open it holds one of the company's event-stream slots ({@code concurrent_event_streams}):
 * always {@link #close} it.
 *
 * <p>Thread-safe; one reader at a time is expected.
 */
public interface TurnEventStream extends AutoCloseable {

  String turnId();

  /**
   * The next event if one is ready, without waiting for the turn; empty when none is (or the
   * stream {@link #isFinished is finished}). May read the journal when the reader fell behind.
   */
  Optional<TurnEvent> poll();

  /** The next event, waiting up to {@code timeout} for it; empty when none came or the stream is finished. */
  Optional<TurnEvent> next(Duration timeout) throws InterruptedException;

  /**
   * Runs {@code ready} whenever events may be ready to {@link #poll} (and once at once, as the
   * reader starts behind the live position); call {@link #poll} until empty each time. It runs on
   * the listener's thread: it must return at once (hand the work to a thread of your own).
   */
  void onReady(Runnable ready);

  /** True once the turn's last event was taken (or the stream was closed). */
  boolean isFinished();

  /** Stops the subscription and frees its event-stream slot; safe to call more than once. */
  @Override
  void close();
}
