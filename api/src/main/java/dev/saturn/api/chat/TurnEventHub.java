package dev.saturn.api.chat;

import dev.saturn.db.chat.TurnEventListener;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one listener of this process for the turns it streams. Every {@code poll-every} it reads the
 * new events of all of them in one query ({@link TurnEventRepository#afterEach}, ranges of the
 * primary key) and hands each to the turn's subscribers, in memory; a worker in the same process
 * hands its events over the moment they commit ({@link TurnEventListener}), so the query is only
 * the path between processes. The database stays the source of truth: a subscriber that cannot
 * keep up, or resumes, reads it itself ({@link TurnSubscription}).
 *
 * <p>A caller waiting for a turn's answer {@link #watch watches} the turn the same way: it is woken by
 * the event that ends the turn or asks a person for an approval, instead of asking Temporal.
 *
 * <p>Nothing is shared between API processes and nothing new is needed to run it: MySQL or MariaDB
 * already is. With no stream open it makes no query at all.
 */
@Component
class TurnEventHub implements TurnEventListener, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(TurnEventHub.class);
  /** Turns per query: keeps a statement's size bounded when a process streams thousands of turns. */
  private static final int TURNS_PER_QUERY = 200;
  private static final int ROWS_PER_QUERY = 2000;

  private final TurnEventRepository journal;
  private final TurnEventsProperties properties;
  private final Map<String, Topic> topics = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService listener;
  private volatile long lastFailureLog;

  TurnEventHub(TurnEventRepository journal, TurnEventsProperties properties) {
    this.journal = journal;
    this.properties = properties;
  }

  /** One turn's subscribers and the highest seq handed to them. */
  private static final class Topic {
    final CompanyId company;
    final String turnId;
    final Set<TurnSubscription> subscribers = new CopyOnWriteArraySet<>();
    final Set<Watch> watches = new CopyOnWriteArraySet<>();
    int lastSeq; // guarded by this

    Topic(CompanyId company, String turnId, int lastSeq) {
      this.company = company;
      this.turnId = turnId;
      this.lastSeq = lastSeq;
    }

    /** Hands on the next event of the turn; anything else (seen, or after a gap) the query brings in order. */
    synchronized void deliver(TurnEventRow event) {
      if (event.seq() != lastSeq + 1) {
        return;
      }
      lastSeq = event.seq();
      for (TurnSubscription subscriber : subscribers) {
        subscriber.offer(event);
      }
      for (Watch watch : watches) {
        watch.offer(event);
      }
    }

    boolean isEmpty() {
      return subscribers.isEmpty() && watches.isEmpty();
    }

    synchronized TurnEventRepository.Position position() {
      return new TurnEventRepository.Position(company, turnId, lastSeq);
    }
  }

  /** Adds a subscriber to its turn's topic; the topic starts at the journal's end. */
  void add(TurnSubscription subscription) {
    startListening();
    // Read outside the map's lock; should another subscriber have opened the topic meanwhile, its
    // (equally valid) start is kept. Nothing is lost either way: the topic only needs a start that
    // is not after an event its subscribers still have to get, and each reads the journal up to it.
    int end = topics.containsKey(subscription.turnId()) ? 0 : journal.lastSeq(subscription.company(), subscription.turnId());
    topics.compute(subscription.turnId(), (turnId, topic) -> {
      Topic joined = topic != null ? topic : new Topic(subscription.company(), turnId, end);
      joined.subscribers.add(subscription);
      return joined;
    });
  }

  void remove(TurnSubscription subscription) {
    topics.computeIfPresent(subscription.turnId(), (turnId, topic) -> {
      topic.subscribers.remove(subscription);
      return topic.isEmpty() ? null : topic;
    });
  }

  /**
   * Watches a turn for the event that ends it or asks for an approval. A new topic starts before
   * the turn's first event (no query): the watch only needs to learn that such an event exists,
   * and the listener's next pass brings any written before it. Close it when done waiting.
   */
  Watch watch(CompanyId company, String turnId) {
    startListening();
    Watch watch = new Watch(turnId);
    topics.compute(turnId, (id, topic) -> {
      Topic joined = topic != null ? topic : new Topic(company, id, 0);
      joined.watches.add(watch);
      return joined;
    });
    return watch;
  }

  private void remove(Watch watch) {
    topics.computeIfPresent(watch.turnId, (turnId, topic) -> {
      topic.watches.remove(watch);
      return topic.isEmpty() ? null : topic;
    });
  }

  /** What a {@link Watch} saw. */
  enum Wake {
    /** {@code turn.completed} or {@code turn.failed}: the turn has ended. */
    ENDED,
    /** {@code approval.requested}: a tool call may be waiting for a person (it may also be decided already). */
    APPROVAL_REQUESTED,
    /** Nothing within the time given. */
    NOTHING
  }

  /** One waiting caller's view of its turn's events; fed by the hub, read by the caller's thread. */
  final class Watch implements AutoCloseable {
    private final String turnId;
    private boolean ended; // guarded by this
    private int approvalsRequested; // guarded by this
    private int approvalsSeen; // guarded by this

    private Watch(String turnId) {
      this.turnId = turnId;
    }

    private synchronized void offer(TurnEventRow event) {
      if (event.type().isTerminal()) {
        ended = true;
      } else if (event.type() == TurnEventType.APPROVAL_REQUESTED) {
        approvalsRequested++;
      } else {
        return;
      }
      notifyAll();
    }

    /** Waits up to {@code timeout} for the turn to end or request an approval not reported yet. */
    synchronized Wake await(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (ended) {
          return Wake.ENDED;
        }
        if (approvalsRequested > approvalsSeen) {
          approvalsSeen = approvalsRequested;
          return Wake.APPROVAL_REQUESTED;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Wake.NOTHING;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    @Override
    public void close() {
      remove(this);
    }
  }

  /** Turns streamed by this process now; for tests and metrics. */
  int topics() {
    return topics.size();
  }

  /** The in-process fast path: a worker in this process committed an event. */
  @Override
  public void appended(CompanyId company, TurnEventRow event) {
    Topic topic = topics.get(event.turnId());
    if (topic != null && topic.company.equals(company)) {
      topic.deliver(event);
    }
  }

  /** One pass: the new events of every streamed turn, a bounded number of turns per query. */
  void pollOnce() {
    if (topics.isEmpty()) {
      return;
    }
    List<Topic> open = new ArrayList<>(topics.values());
    for (int from = 0; from < open.size(); from += TURNS_PER_QUERY) {
      List<Topic> chunk = open.subList(from, Math.min(open.size(), from + TURNS_PER_QUERY));
      List<TurnEventRepository.Position> positions = chunk.stream().map(Topic::position).toList();
      for (TurnEventRow event : journal.afterEach(positions, ROWS_PER_QUERY)) {
        Topic topic = topics.get(event.turnId());
        if (topic != null) {
          topic.deliver(event);
        }
      }
    }
  }

  private void startListening() {
    if (listener != null) {
      return;
    }
    synchronized (this) {
      if (listener == null) {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
          Thread thread = new Thread(runnable, "turn-event-listener");
          thread.setDaemon(true);
          return thread;
        });
        long every = properties.pollEvery().toNanos();
        started.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.NANOSECONDS);
        listener = started;
      }
    }
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      // The database is away: streams stall and go on from where they were once it is back.
      long now = System.nanoTime();
      if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
        lastFailureLog = now;
        log.warn("reading turn events for {} streamed turns failed (retried every {}): {}",
            topics.size(), properties.pollEvery(), e.toString());
      }
    }
  }

  @Override
  public void destroy() {
    ScheduledExecutorService running = listener;
    if (running != null) {
      running.shutdownNow();
    }
  }
}
