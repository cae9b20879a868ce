package dev.saturn.activities.chat;

import dev.saturn.activities.llm.TextSink;
import dev.saturn.db.common.CompanyId;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>The step's {@code step.started} (unless an earlier attempt wrote it) is due like text that
 * came at the call's start: the first window begins when the stream opens, so {@code step.started}
 * goes with the first delta, or alone once a window has passed without text.
 *
 * <p>Whatever is still pending when the call has ended is not written here: {@link #finish} hands
 * it to the step's own record, which stores it with {@code step.finished} in one transaction (the
 * order of the events is the same, fewer commits: a call that answers within the first window
 * writes its step's events in one).
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
  private TurnJournal.Entry unwrittenStart; // activity thread only: step.started, until written

  private final StringBuilder pending = new StringBuilder(); // guarded by this
  private boolean done; // guarded by this
  private boolean wroteBefore; // activity thread only: a window runs from lastWrite
  private long lastWrite; // activity thread only
  private long lastHeartbeat = System.nanoTime(); // activity thread only
  private boolean progressSent; // activity thread only
  private long chars; // activity thread only
  private int deltas; // activity thread only

  AnswerStream(
      CompanyId company, String turnId, int step, int attempt, Duration flushEvery, AnswerStreams streams, int lastSeq,
      TurnJournal.Entry started) {
    this.lastSeq = lastSeq;
    this.unwrittenStart = started;
    if (started != null) {
      // step.started is pending from now: the first window begins here.
      this.wroteBefore = true;
      this.lastWrite = System.nanoTime();
    }
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
        boolean due = pending.length() > 0 || unwrittenStart != null;
        long writeIn = !due ? Long.MAX_VALUE : wroteBefore ? lastWrite + window - now : 0;
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

  /**
   * After the provider answered: what is not written yet ({@code step.started} if still pending, the
   * last delta), in order, for the step's record to store.
   */
  List<TurnJournal.Entry> finish() {
    String text;
    synchronized (this) {
      text = pending.toString();
      pending.setLength(0);
    }
    List<TurnJournal.Entry> unwritten = new ArrayList<>(2);
    if (unwrittenStart != null) {
      unwritten.add(unwrittenStart);
      unwrittenStart = null;
    }
    if (!text.isEmpty()) {
      deltas++;
      chars += text.length();
      unwritten.add(streams.delta(step, attempt, deltas, text));
    }
    return unwritten;
  }

  /**
   * After a failed call: writes {@code step.started} if it is still pending, so the journal shows the
   * step that failed. Best effort, like the deltas.
   */
  void failed() {
    if (unwrittenStart == null) {
      return;
    }
    try {
      lastSeq = streams.write(company, turnId, lastSeq, List.of(unwrittenStart));
      unwrittenStart = null;
    } catch (RuntimeException e) {
      log.warn("could not write step.started of step {} of turn {}: {}", step, turnId, e.toString());
    }
  }

  /** The last event seq this attempt wrote (or knew of when it opened): what its next append follows. */
  int lastSeq() {
    return lastSeq;
  }

  AnswerProgress progress() {
    return new AnswerProgress(step, attempt, chars, deltas);
  }

  /** Writes the pending {@code step.started} and text in one transaction. @return whether a delta was written */
  private boolean flush() {
    String text;
    synchronized (this) {
      text = pending.toString();
    }
    List<TurnJournal.Entry> entries = new ArrayList<>(2);
    if (unwrittenStart != null) {
      entries.add(unwrittenStart);
    }
    if (!text.isEmpty()) {
      entries.add(streams.delta(step, attempt, deltas + 1, text));
    }
    if (entries.isEmpty()) {
      return false;
    }
    lastWrite = System.nanoTime();
    wroteBefore = true;
    try {
      lastSeq = streams.write(company, turnId, lastSeq, entries);
    } catch (RuntimeException e) {
      log.warn("could not stream {} characters of step {} of turn {} (kept for the next write): {}",
          text.length(), step, turnId, e.toString());
      return false;
    }
    unwrittenStart = null;
    if (text.isEmpty()) {
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
