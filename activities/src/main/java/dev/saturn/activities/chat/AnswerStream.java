package dev.saturn.activities.chat;

import dev.saturn.activities.llm.TextSink;
import dev.saturn.db.common.CompanyId;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's streamed text on its way to the journal. The provider's thread appends
 * ({@link #accept}); the activity's own thread, while it waits for the provider, writes what
 * gathered since its last tick as one {@code message.delta} and heartbeats this attempt's
 * {@link AnswerProgress} ({@link #tick}). So writes of one attempt never overlap, a slow provider
 * thread never waits for the database, and text is at most one window old when it is written.
 *
 * <p>A delta that cannot be written (the database hiccups) stays pending and goes with the next
 * tick: the stream is a view of the answer, so its trouble never fails the model call, which would
 * only pay for the call again. The stored answer is the reply, not the deltas.
 */
final class AnswerStream implements TextSink {

  private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);

  private final CompanyId company;
  private final String turnId;
  private final int step;
  private final int attempt;
  private final Duration flushEvery;
  private final AnswerStreams streams;
  private final StringBuilder pending = new StringBuilder(); // guarded by itself
  private long chars;
  private int deltas;
  private long lastHeartbeat = System.nanoTime();
  private boolean progressSent;

  AnswerStream(CompanyId company, String turnId, int step, int attempt, Duration flushEvery, AnswerStreams streams) {
    this.company = company;
    this.turnId = turnId;
    this.step = step;
    this.attempt = attempt;
    this.flushEvery = flushEvery;
    this.streams = streams;
  }

  /** How often {@link #tick} should run. */
  Duration flushEvery() {
    return flushEvery;
  }

  @Override
  public void accept(String text) {
    synchronized (pending) {
      pending.append(text);
    }
  }

  /** On the activity's thread while the provider works: write what gathered, heartbeat when due. */
  void tick(ActivityExecutionContext context) {
    boolean wrote = flush();
    long now = System.nanoTime();
    // The first progress goes out at once (the SDK sends a first heartbeat immediately), the rest
    // every HEARTBEAT_EVERY; a heartbeat throws when Temporal gave up on this attempt.
    if ((wrote && !progressSent) || now - lastHeartbeat >= HEARTBEAT_EVERY.toNanos()) {
      context.heartbeat(progress());
      lastHeartbeat = now;
      progressSent = progressSent || chars > 0;
    }
  }

  /** After the provider answered: write the rest. */
  void finish() {
    flush();
    String left;
    synchronized (pending) {
      left = pending.toString();
    }
    if (!left.isEmpty()) {
      log.warn("{} characters of step {} of turn {} were not streamed (the database refused them); the answer is complete",
          left.length(), step, turnId);
    }
  }

  AnswerProgress progress() {
    return new AnswerProgress(step, attempt, chars, deltas);
  }

  /** @return whether a delta was written */
  private boolean flush() {
    String text;
    synchronized (pending) {
      if (pending.length() == 0) {
        return false;
      }
      text = pending.toString();
    }
    try {
      streams.writeDelta(company, turnId, step, attempt, deltas + 1, text);
    } catch (RuntimeException e) {
      log.warn("could not stream {} characters of step {} of turn {} (kept for the next try): {}",
          text.length(), step, turnId, e.toString());
      return false;
    }
    synchronized (pending) {
      pending.delete(0, text.length());
    }
    deltas++;
    chars += text.length();
    return true;
  }
}
