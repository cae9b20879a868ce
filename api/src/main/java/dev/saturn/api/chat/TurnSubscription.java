package dev.saturn.api.chat;

import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.common.CompanyId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One reader's {@link TurnEventStream}. The {@link TurnEventHub} offers it the turn's events as
 * they appear; it queues them up to its buffer. It starts <em>behind</em> (its position is where
 * the reader resumes, the hub's is the journal's end) and falls behind again when its buffer is
 * full or an offered event leaves a gap; while behind, the reader's {@link #poll} reads the journal
 * from its position instead, until it has everything the hub offered meanwhile. Events are
 * identified by seq, so nothing is delivered twice or skipped, whatever the interleaving.
 */
final class TurnSubscription implements TurnEventStream {

  private static final int CATCH_UP_BATCH = 200;

  private final CompanyId company;
  private final String turnId;
  private final TurnEventRepository journal;
  private final TurnEventBodies bodies;
  private final int capacity;
  /** The turn had ended when the subscription began: it ends when the journal is read, last event or not. */
  private final boolean endedAtStart;
  private final CompanyConcurrency.Permit permit;
  private final Consumer<TurnSubscription> onClose;

  private final ArrayDeque<TurnEventRow> queue = new ArrayDeque<>(); // guarded by this
  private int position; // the highest seq queued or taken; guarded by this
  private boolean behind = true; // guarded by this
  private int highestOffered; // guarded by this
  private boolean finished; // guarded by this
  private boolean closed; // guarded by this
  private volatile Runnable ready = () -> {};

  TurnSubscription(
      CompanyId company, String turnId, int afterSeq, boolean endedAtStart, int capacity, TurnEventRepository journal,
      TurnEventBodies bodies, CompanyConcurrency.Permit permit, Consumer<TurnSubscription> onClose) {
    this.company = company;
    this.turnId = turnId;
    this.position = afterSeq;
    this.endedAtStart = endedAtStart;
    this.capacity = capacity;
    this.journal = journal;
    this.bodies = bodies;
    this.permit = permit;
    this.onClose = onClose;
  }

  CompanyId company() {
    return company;
  }

  @Override
  public String turnId() {
    return turnId;
  }

  /** From the hub, in seq order per source; must not block. */
  void offer(TurnEventRow event) {
    synchronized (this) {
      if (closed || finished || event.seq() <= position) {
        return;
      }
      highestOffered = Math.max(highestOffered, event.seq());
      if (!behind && event.seq() == position + 1 && queue.size() < capacity) {
        queue.add(event);
        position = event.seq();
      } else {
        // A gap or a full buffer: the reader will read the journal from where it stands.
        behind = true;
      }
      notifyAll();
    }
    ready.run();
  }

  @Override
  public Optional<TurnEvent> poll() {
    while (true) {
      TurnEventRow event;
      int from;
      synchronized (this) {
        if (closed || finished) {
          return Optional.empty();
        }
        event = queue.poll();
        if (event != null) {
          finished = event.type().isTerminal();
        }
      }
      if (event != null) {
        // Rendering the last event reads the turn: outside the lock, so offers never wait for it.
        return Optional.of(bodies.of(company, event));
      }
      synchronized (this) {
        if (!behind) {
          if (endedAtStart) {
            finished = true;
          }
          return Optional.empty();
        }
        from = position;
      }
      // Read outside the lock: the hub must never wait for this reader's query.
      List<TurnEventRow> rows = journal.after(company, turnId, from, CATCH_UP_BATCH);
      synchronized (this) {
        for (TurnEventRow row : rows) {
          if (row.seq() == position + 1) {
            queue.add(row);
            position = row.seq();
          }
        }
        // Caught up with what was committed when the query ran, and with everything the hub
        // offered meanwhile (an offer that came after the query is not in its result).
        if (rows.size() < CATCH_UP_BATCH && position >= highestOffered) {
          behind = false;
        }
        if (queue.isEmpty() && !behind && !endedAtStart) {
          return Optional.empty();
        }
      }
    }
  }

  @Override
  public Optional<TurnEvent> next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<TurnEvent> event = poll();
      if (event.isPresent()) {
        return event;
      }
      synchronized (this) {
        if (closed || finished) {
          return Optional.empty();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        if (queue.isEmpty() && !behind) {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    }
  }

  @Override
  public void onReady(Runnable ready) {
    this.ready = ready;
    ready.run();
  }

  @Override
  public synchronized boolean isFinished() {
    return finished || closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      notifyAll();
    }
    permit.close();
    onClose.accept(this);
  }

  /** Events queued for the reader; for tests and the slow-reader bound. */
  synchronized int buffered() {
    return queue.size();
  }
}
