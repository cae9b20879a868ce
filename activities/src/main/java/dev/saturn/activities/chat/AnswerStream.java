package dev.saturn.activities.chat;

import dev.saturn.activities.llm.TextSink;
import dev.saturn.db.common.CompanyId;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's streamed text on its way to the journal. The provider's thread appends
 * ({@link #accept}); the activity's own thread, while it waits for the provider, writes what has
 * gathered as one {@code message.delta} and heartbeats this attempt's {@link AnswerProgress}
 * ({@link #tick}). Writes are throttled, not delayed: text that comes after a quiet window is
 * written at once, text that comes sooner waits for the window to pass and goes with whatever else
 * came meanwhile, so there is at most one write per window and a piece waits at most one window.
 * Writes of one attempt never overlap, and a slow provider thread never waits for the database.
 *
 * <p>A delta that cannot be written (the database hiccups) stays pending and goes with the next
 * write: the stream is a view of the answer, so its trouble never fails the model call, which would
 * only pay for the call again. The stored answer is the reply, not the deltas.
 *
 * <p>Text still pending when the call has ended is not written here: {@link #finish} hands it to
 * the step's own record, which stores it with {@code step.finished} in one transaction (the order
 * of the events is the same, one write less).
 */
final class AnswerStream implements TextSink {

  private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);
  private static final long HEARTBEAT_EVERY = Duration.ofSeconds(2).toNanos();

  private final CompanyId company;
  private final String turnId;
  private final int step;
  private final int attempt;
  private final long window;
  private final AnswerStreams streams;
  private int lastSeq; // activity thread only: the turn's last event seq as this attempt knows it

  private final StringBuilder pending = new StringBuilder(); // guarded by this
  private boolean done; // guarded by this
  private boolean wroteBefore; // activity thread only
  private long lastWrite; // activity thread only
  private long lastHeartbeat = System.nanoTime(); // activity thread only
  private boolean progressSent; // activity thread only
  private long chars; // activity thread only
  private int deltas; // activity thread only

  AnswerStream(
      CompanyId company, String turnId, int step, int attempt, Duration flushEvery, AnswerStreams streams, int lastSeq) {
    this.lastSeq = lastSeq;
    this.company = company;
    this.turnId = turnId;
    this.step = step;
    this.attempt = attempt;
    this.window = flushEvery.toNanos();
    this.streams = streams;
  }

  @Override
  public void accept(String text) {
    synchronized (this) {
      pending.append(text);
      notifyAll();
    }
  }

  /** The provider's call has ended (answered or failed): {@link #tick} stops waiting. */
  void done() {
    synchronized (this) {
      done = true;
      notifyAll();
    }
  }

  /**
   * On the activity's thread while the provider works: waits until text is due to be written, a
   * heartbeat is due or the call ended, then writes and heartbeats as due. A heartbeat throws when
   * Temporal gave up on this attempt.
   */
  void tick(ActivityExecutionContext context) {
    boolean write;
    synchronized (this) {
      while (true) {
        long now = System.nanoTime();
        long heartbeatIn = lastHeartbeat + HEARTBEAT_EVERY - now;
        long writeIn = pending.length() == 0 ? Long.MAX_VALUE : wroteBefore ? lastWrite + window - now : 0;
        if (done || heartbeatIn <= 0 || writeIn <= 0) {
          write = writeIn <= 0 && !done; // once the call ended, finish() hands the rest to the step's record
          break;
        }
        try {
          long wait = Math.min(heartbeatIn, writeIn);
          wait(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          // The worker is stopping: let the pool's await see the interrupt.
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    boolean wrote = write && flush();
    long now = System.nanoTime();
    // The first progress goes out at once (the SDK sends a first heartbeat immediately), the rest
    // every two seconds.
    if ((wrote && !progressSent) || now - lastHeartbeat >= HEARTBEAT_EVERY) {
      context.heartbeat(progress());
      lastHeartbeat = now;
      progressSent = progressSent || chars > 0;
    }
  }

  /** After the provider answered: the last delta (the text not written yet), for the step's record to store. */
  Optional<TurnJournal.Entry> finish() {
    String text;
    synchronized (this) {
      text = pending.toString();
      pending.setLength(0);
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    deltas++;
    chars += text.length();
    return Optional.of(streams.delta(step, attempt, deltas, text));
  }

  /** The last event seq this attempt wrote (or knew of when it opened): what its next append follows. */
  int lastSeq() {
    return lastSeq;
  }

  AnswerProgress progress() {
    return new AnswerProgress(step, attempt, chars, deltas);
  }

  /** @return whether a delta was written */
  private boolean flush() {
    String text;
    synchronized (this) {
      if (pending.length() == 0) {
        return false;
      }
      text = pending.toString();
    }
    lastWrite = System.nanoTime();
    wroteBefore = true;
    try {
      lastSeq = streams.writeDelta(company, turnId, lastSeq, streams.delta(step, attempt, deltas + 1, text));
    } catch (RuntimeException e) {
      log.warn("could not stream {} characters of step {} of turn {} (kept for the next write): {}",
          text.length(), step, turnId, e.toString());
      return false;
    }
    synchronized (this) {
      pending.delete(0, text.length());
    }
    deltas++;
    chars += text.length();
    return true;
  }
}
