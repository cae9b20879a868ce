package dev.saturn.activities.chat;

import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens the {@link AnswerStream} of a model call's attempt: where the text the provider streams is
 * gathered and written to the turn's journal as {@code message.delta} events, a window at a time.
 *
 * <p>An attempt that follows one which had streamed text first writes {@code message.reset} (the
 * step's text so far is void; this attempt's deltas follow). It knows from the heartbeat details
 * of the earlier attempt ({@link AnswerProgress}), and, because the SDK sends heartbeats throttled
 * and a worker may die before its last one left, from the journal itself.
 */
@Component
public class AnswerStreams {

  private static final Logger log = LoggerFactory.getLogger(AnswerStreams.class);

  private final TurnJournal journal;
  private final TurnEventRepository events;
  private final TransactionTemplate transaction;
  private final Duration flushEvery;

  public AnswerStreams(
      TurnJournal journal, TurnEventRepository events, TransactionTemplate transaction, AnswerStreamProperties properties) {
    this.journal = journal;
    this.events = events;
    this.transaction = transaction;
    this.flushEvery = properties.flushEvery();
  }

  /** The keys of a step's events of the stream, so a retried write is a no-op. */
  static String deltaKey(int step, int attempt, int n) {
    return "step:" + step + ":delta:" + attempt + ":" + n;
  }

  static String resetKey(int step, int attempt) {
    return "step:" + step + ":reset:" + attempt;
  }

  /** The key of a step's {@code step.started}. */
  static String startedKey(int step) {
    return "step:" + step + ":started";
  }

  /**
   * Opens this attempt's stream. Its {@code step.started} is not written here: the stream writes it
   * with its first delta, or alone once a window has passed, and a call that ends within the first
   * window hands it to the step's record ({@link AnswerStream#finish}), which stores it with
   * {@code step.finished} in one transaction. When an earlier attempt had streamed (so its
   * {@code step.started} is written), {@code message.reset} is written first (the step's text so far
   * is void). {@code lastSeq}: the turn's last event seq as the caller knows it (it read or wrote it).
   */
  AnswerStream open(CompanyId company, String turnId, int step, ActivityExecutionContext context, int lastSeq) {
    int attempt = context.getInfo().getAttempt();
    Optional<AnswerProgress> before = context.getHeartbeatDetails(AnswerProgress.class);
    boolean earlierStreamed = before.filter(p -> p.chars() > 0).isPresent()
        || (attempt > 1 && events.anyWithKeyPrefix(company, turnId, "step:" + step + ":delta:"));
    TurnJournal.Entry started = started(step);
    if (earlierStreamed) {
      int seq = transaction.execute(status -> journal.appendAfter(company, turnId, lastSeq, List.of(started,
          new TurnJournal.Entry(resetKey(step, attempt), TurnEventType.MESSAGE_RESET, journal.data().put("step", step)))));
      log.info("model call retried after an attempt that streamed: step={} attempt={} streamed_before={}",
          step, attempt, before.map(p -> p.chars() + " chars in attempt " + p.attempt()).orElse("unknown (no heartbeat)"));
      return new AnswerStream(company, turnId, step, attempt, flushEvery, this, seq, null);
    }
    return new AnswerStream(company, turnId, step, attempt, flushEvery, this, lastSeq, started);
  }

  /** The step's {@code step.started}, as an event to append. */
  TurnJournal.Entry started(int step) {
    return new TurnJournal.Entry(startedKey(step), TurnEventType.STEP_STARTED, journal.data().put("step", step));
  }

  /** One delta, as an event to append. */
  TurnJournal.Entry delta(int step, int attempt, int n, String text) {
    return new TurnJournal.Entry(deltaKey(step, attempt, n), TurnEventType.MESSAGE_DELTA,
        journal.data().put("step", step).put("text", text));
  }

  /**
   * Writes a stream's events (a delta, the step's {@code step.started}, or both) in their own
   * transaction after {@code lastSeq}, the last seq this attempt wrote.
   *
   * @return the last event's seq
   */
  int write(CompanyId company, String turnId, int lastSeq, List<TurnJournal.Entry> entries) {
    return transaction.execute(status -> journal.appendAfter(company, turnId, lastSeq, entries));
  }
}
