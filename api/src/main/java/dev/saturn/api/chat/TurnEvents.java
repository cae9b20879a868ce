package dev.saturn.api.chat;

import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import org.springframework.stereotype.Service;

/**
 * Where every channel gets a turn's events as they happen: {@link #subscribe} gives a {@link
 * TurnEventStream}. The events are the turn's journal ({@code turn_events}), written by the
 * workflow's activities; this process's {@link TurnEventHub} follows it for all open streams at
 * once. A channel that starts the turn itself uses {@link TurnStarter#startAndStream} instead,
 * which takes the stream's slot before the turn is accepted.
 */
@Service
public class TurnEvents {

  private final TurnRepository turns;
  private final TurnEventRepository journal;
  private final TurnEventHub hub;
  private final TurnEventBodies bodies;
  private final CompanyConcurrency concurrency;
  private final TurnEventsProperties properties;

  TurnEvents(
      TurnRepository turns, TurnEventRepository journal, TurnEventHub hub, TurnEventBodies bodies,
      CompanyConcurrency concurrency, TurnEventsProperties properties) {
    this.turns = turns;
    this.journal = journal;
    this.hub = hub;
    this.bodies = bodies;
    this.concurrency = concurrency;
    this.properties = properties;
  }

  /**
   * The turn's events after {@code afterSeq} (0: from the first), then live until its last event.
   *
   * @throws ApiException 404 {@code NOT_FOUND} for a turn not of this company; 400 {@code
   *     VALIDATION_FAILED} (field {@code Last-Event-ID}) for a position after the turn's last
   *     event; 429 {@code RATE_LIMITED} when the company holds its ceiling of open event streams
   */
  public TurnEventStream subscribe(CompanyId company, String turnId, int afterSeq) {
    TurnRow turn = turns.find(company, turnId).orElseThrow(() -> ApiException.notFound("turn " + turnId));
    if (afterSeq < 0 || afterSeq > journal.lastSeq(company, turnId)) {
      throw ApiException.invalidField("Last-Event-ID", "must be the id of an event of this stream");
    }
    CompanyConcurrency.Permit permit = concurrency.acquire(company, CompanyConcurrency.Kind.EVENT_STREAMS);
    return open(turn, afterSeq, permit);
  }

  /** Subscribes with a slot taken already (by {@link TurnStarter}); the stream releases it when closed. */
  TurnEventStream open(TurnRow turn, int afterSeq, CompanyConcurrency.Permit permit) {
    try {
      TurnSubscription subscription = new TurnSubscription(
          CompanyId.of(turn.companyId()), turn.id(), afterSeq, turn.status() != TurnStatus.RUNNING,
          properties.subscriberBuffer(), journal, bodies, permit, hub::remove);
      hub.add(subscription);
      return subscription;
    } catch (RuntimeException e) {
      permit.close();
      throw e;
    }
  }
}
