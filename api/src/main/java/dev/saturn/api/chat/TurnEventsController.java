package dev.saturn.api.chat;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /v1/turns/{id}/events}: the turn's events as Server-Sent Events, read from the
 * {@code turn_events} table (what activities wrote, already redacted). Each event's SSE id is its
 * per-turn seq, so a client reconnecting with {@code Last-Event-ID} gets exactly what it missed.
 * The stream ends after the turn's last event (turn_completed or turn_failed). The database is
 * polled: events outlive any process, so a stream resumes across restarts of api and worker.
 */
@ApiController
class TurnEventsController implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(TurnEventsController.class);
  private static final long POLL_MS = 250;
  private static final long KEEP_ALIVE_MS = 15_000;
  private static final Duration MAX_STREAM = Duration.ofHours(1);
  private static final int BATCH = 200;

  private final TurnRepository turns;
  private final TurnEventRepository events;
  private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "turn-events");
    thread.setDaemon(true);
    return thread;
  });

  private final CompanyConcurrency concurrency;

  TurnEventsController(TurnRepository turns, TurnEventRepository events, CompanyConcurrency concurrency) {
    this.concurrency = concurrency;
    this.turns = turns;
    this.events = events;
  }

  @GetMapping("/v1/turns/{turnId}/events")
  @Operation(summary = "Stream a turn's events (Server-Sent Events); resume with Last-Event-ID")
  @Requires(Permission.CHAT)
  public SseEmitter events(
      Caller caller,
      @PathVariable String turnId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    CompanyId company = caller.company();
    turns.find(company, turnId).orElseThrow(() -> ApiException.notFound("turn " + turnId));
    int after = parse(lastEventId);
    CompanyConcurrency.Permit open = concurrency.acquire(company, CompanyConcurrency.Kind.EVENT_STREAMS);
    SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
    Stream stream = new Stream(company, turnId, after, emitter);
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable stop = () -> {
      open.close();
      ScheduledFuture<?> self = task.get();
      if (self != null) {
        self.cancel(false);
      }
    };
    task.set(pollers.scheduleWithFixedDelay(() -> {
      if (!stream.poll()) {
        stop.run();
      }
    }, 0, POLL_MS, TimeUnit.MILLISECONDS));
    emitter.onCompletion(stop);
    emitter.onTimeout(stop);
    emitter.onError(error -> stop.run());
    return emitter;
  }

  private static int parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      int value = Integer.parseInt(lastEventId.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.invalidField("Last-Event-ID", "must be the id of an event of this stream (a number)");
    }
  }

  /** One client's stream: where it is, and whether it is done. */
  private final class Stream {
    private final CompanyId company;
    private final String turnId;
    private final SseEmitter emitter;
    private int sent;
    private long lastWrite = System.currentTimeMillis();

    Stream(CompanyId company, String turnId, int after, SseEmitter emitter) {
      this.company = company;
      this.turnId = turnId;
      this.sent = after;
      this.emitter = emitter;
    }

    /** @return false when the stream is over */
    synchronized boolean poll() {
      try {
        // Read the status first: events written before a turn ended are committed with it.
        boolean finished = turns.find(company, turnId).map(t -> t.status() != TurnStatus.RUNNING).orElse(true);
        List<TurnEventRow> batch = events.after(company, turnId, sent, BATCH);
        for (TurnEventRow event : batch) {
          emitter.send(SseEmitter.event()
              .id(Integer.toString(event.seq()))
              .name(event.type())
              .data(event.dataJson(), MediaType.APPLICATION_JSON));
          sent = event.seq();
          lastWrite = System.currentTimeMillis();
        }
        if (finished && batch.size() < BATCH) {
          emitter.complete();
          return false;
        }
        if (System.currentTimeMillis() - lastWrite > KEEP_ALIVE_MS) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastWrite = System.currentTimeMillis();
        }
        return true;
      } catch (IOException | IllegalStateException clientGone) {
        return false;
      } catch (RuntimeException e) {
        log.warn("turn event stream of {} failed: {}", turnId, e.toString());
        emitter.completeWithError(e);
        return false;
      }
    }
  }

  @Override
  public void destroy() {
    pollers.shutdownNow();
  }
}
