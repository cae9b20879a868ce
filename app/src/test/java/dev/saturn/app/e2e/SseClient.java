package dev.saturn.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests and benchmarks over a real socket: it opens the stream,
 * then reads it on a thread of its own, stamping each event with {@link System#nanoTime()} when its
 * blank line arrived, so a caller can wait for events and measure when they came.
 */
public final class SseClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One event as received; {@code data} parsed as JSON. */
  public record Event(String id, String type, JsonNode data, long receivedNanos) {
    public int seq() {
      return Integer.parseInt(id);
    }

    public String text() {
      return data.path("text").asText("");
    }
  }

  private final HttpResponse<Stream<String>> response;
  private final List<Event> events = new ArrayList<>(); // guarded by itself
  private final Thread reader;
  private volatile boolean ended;
  private volatile Throwable failure;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    if (isEventStream()) {
      reader.start();
    } else {
      ended = true;
    }
  }

  /** POSTs {@code jsonBody} with {@code Accept: text/event-stream}; returns once the response's headers came. */
  public static SseClient post(String url, String token, String jsonBody, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "text/event-stream")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    return open(request, token, headers);
  }

  /** GETs a stream, resuming after {@code lastEventId} when it is not null. */
  public static SseClient get(String url, String token, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    return open(request, token, lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId));
  }

  private static SseClient open(HttpRequest.Builder request, String token, Map<String, String> headers) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      return new SseClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public HttpHeaders headers() {
    return response.headers();
  }

  public boolean isEventStream() {
    return response.statusCode() == 200
        && response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
  }

  /** A body that is not a stream (an error's problem+json), read whole. */
  public JsonNode problem() {
    try {
      return JSON.readTree(String.join("\n", (Iterable<String>) response.body()::iterator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events received so far. */
  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits until an event matches; returns it. */
  public Event await(Predicate<Event> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (Event event : events) {
          if (condition.test(event)) {
            return event;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || ended) {
          throw new AssertionError("no matching event within " + timeout + " (ended: " + ended + ", failure: " + failure
              + "); received: " + events.stream().map(Event::type).toList());
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits until the server ended the stream; returns every event. */
  public List<Event> awaitEnd(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
    if (reader.isAlive()) {
      throw new AssertionError("the stream did not end within " + timeout + "; received: " + events().stream().map(Event::type).toList());
    }
    return events();
  }

  public boolean ended() {
    return ended;
  }

  private void read() {
    String id = null;
    String type = null;
    StringBuilder data = new StringBuilder();
    try {
      Iterator<String> lines = response.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty()) {
          if (id != null || data.length() > 0) {
            Event event = new Event(id, type, JSON.readTree(data.toString()), System.nanoTime());
            synchronized (events) {
              events.add(event);
              events.notifyAll();
            }
          }
          id = null;
          type = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5));
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      ended = true;
      synchronized (events) {
        events.notifyAll();
      }
    }
  }

  @Override
  public void close() {
    reader.interrupt();
    response.body().close();
  }
}
