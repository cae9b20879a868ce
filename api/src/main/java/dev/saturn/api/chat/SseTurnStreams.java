package dev.saturn.api.chat;

import dev.saturn.api.web.RequestIds;
import dev.saturn.db.chat.TurnEventType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link TurnEventStream} to an HTTP client as Server-Sent Events: {@code id} = the
 * event's seq (what {@code Last-Event-ID} resumes after), {@code event} = its type, {@code data} =
 * its JSON. The request thread returns at once; a small pool of writer threads drains a stream
 * whenever it has events, one drain per stream at a time, so events leave in order. The stream
 * ends after the turn's last event; a client that goes away closes the subscription (and frees its
 * slot) at the next write.
 */
@Component
class SseTurnStreams implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SseTurnStreams.class);
  /** Events one drain writes before it lets other streams' drains have the thread. */
  private static final int EVENTS_PER_DRAIN = 100;

  private final JsonMapper json;
  private final TurnEventsProperties properties;
  private final ThreadPoolExecutor writers;
  private final ScheduledExecutorService keepAlive;
  private final Set<Writer> open = ConcurrentHashMap.newKeySet();

  SseTurnStreams(JsonMapper json, TurnEventsProperties properties) {
    this.json = json;
    this.properties = properties;
    AtomicInteger count = new AtomicInteger();
    // Unbounded queue: it holds at most one task per open stream, and streams are bounded per company.
    this.writers = new ThreadPoolExecutor(properties.writerThreads(), properties.writerThreads(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "turn-events-sse-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.writers.allowCoreThreadTimeOut(true);
    this.keepAlive = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "turn-events-keep-alive");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(1000, properties.keepAlive().toMillis() / 2);
    keepAlive.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts writing {@code stream} to the response of {@code request}; returns the emitter the
   * handler returns. A {@code turn.failed} event's problem body gets this request's {@code
   * request_id} and {@code instance}, as the problem of the non-streaming call would.
   */
  SseEmitter open(TurnEventStream stream, HttpServletRequest request, HttpServletResponse response) {
    SseEmitter emitter = new SseEmitter(properties.maxStream().toMillis());
    // Proxies (nginx) must pass each event on as it comes instead of buffering the response.
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    Writer writer = new Writer(stream, emitter, RequestIds.of(request), request.getRequestURI());
    open.add(writer);
    emitter.onCompletion(writer::close);
    emitter.onTimeout(writer::close);
    emitter.onError(error -> writer.close());
    stream.onReady(writer::schedule);
    return emitter;
  }

  private void keepAlive() {
    long now = System.nanoTime();
    for (Writer writer : open) {
      if (now - writer.lastWrite > properties.keepAlive().toNanos()) {
        writer.keepAliveDue = true;
        writer.schedule();
      }
    }
  }

  /** One client's stream. */
  private final class Writer implements Runnable {
    private final TurnEventStream stream;
    private final SseEmitter emitter;
    private final String requestId;
    private final String instance;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastWrite = System.nanoTime();
    private volatile boolean keepAliveDue;
    private volatile boolean closed;

    Writer(TurnEventStream stream, SseEmitter emitter, String requestId, String instance) {
      this.stream = stream;
      this.emitter = emitter;
      this.requestId = requestId;
      this.instance = instance;
    }

    void schedule() {
      if (!closed && scheduled.compareAndSet(false, true)) {
        try {
          writers.execute(this);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          close();
        }
      }
    }

    @Override
    public synchronized void run() {
      // Cleared first: events that arrive during this drain schedule the next one.
      scheduled.set(false);
      if (closed) {
        return;
      }
      try {
        int written = 0;
        Optional<TurnEvent> next;
        while (written < EVENTS_PER_DRAIN && (next = stream.poll()).isPresent()) {
          send(next.get());
          written++;
        }
        if (written == EVENTS_PER_DRAIN) {
          schedule();
          return;
        }
        if (stream.isFinished()) {
          emitter.complete();
          close();
          return;
        }
        if (keepAliveDue) {
          keepAliveDue = false;
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastWrite = System.nanoTime();
        }
      } catch (IOException | IllegalStateException clientGone) {
        close();
      } catch (RuntimeException e) {
        log.warn("turn event stream of {} failed: {}", stream.turnId(), e.toString());
        emitter.completeWithError(e);
        close();
      }
    }

    private void send(TurnEvent event) throws IOException {
      Object data = event.data();
      if (event.type() == TurnEventType.TURN_FAILED && event.data() instanceof ObjectNode problem) {
        ObjectNode body = problem.deepCopy();
        body.put("instance", instance);
        if (requestId != null) {
          body.put("request_id", requestId);
        }
        data = body;
      }
      emitter.send(SseEmitter.event()
          .id(Integer.toString(event.seq()))
          .name(event.type().wireName())
          .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
      lastWrite = System.nanoTime();
    }

    void close() {
      if (!closed) {
        closed = true;
        open.remove(this);
        stream.close();
      }
    }
  }

  @Override
  public void destroy() {
    keepAlive.shutdownNow();
    writers.shutdownNow();
    for (Writer writer : open) {
      writer.close();
    }
  }
}
