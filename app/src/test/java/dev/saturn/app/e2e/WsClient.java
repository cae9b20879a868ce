package dev.saturn.app.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests over a real socket (the JDK's): it collects every text frame as
 * JSON, in order, and the close code the server sent.
 */
public final class WsClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonNode> frames;
  private final CompletableFuture<Integer> closed;
  private final List<JsonNode> seen = new ArrayList<>();

  private WsClient(WebSocket socket, LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed) {
    this.socket = socket;
    this.frames = frames;
    this.closed = closed;
  }

  /** Connects to {@code uri}, offering {@code subprotocols} (none: none); fails as the handshake fails. */
  public static WsClient connect(URI uri, String... subprotocols) {
    return connectFrom(null, uri, subprotocols);
  }

  /** {@link #connect(URI, String...)} as a browser page of {@code origin} would (null: no Origin header). */
  public static WsClient connectFrom(String origin, URI uri, String... subprotocols) {
    LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          try {
            frames.add(JSON.readTree(partial.toString()));
          } catch (JsonProcessingException e) {
            frames.add(JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
          }
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
      }
    }).join();
    return new WsClient(socket, frames, closed);
  }

  public WebSocket socket() {
    return socket;
  }

  /** Sends {@code frame} (a map or a node as JSON, a string as is). */
  public WsClient send(Object frame) {
    try {
      String text = frame instanceof String raw ? raw : JSON.writeValueAsString(frame);
      socket.sendText(text, true).get(5, TimeUnit.SECONDS);
      return this;
    } catch (Exception e) {
      throw new IllegalStateException("cannot send " + frame, e);
    }
  }

  /** The next frame matching {@code wanted}, skipping (but keeping in {@link #seen}) the others. */
  public JsonNode await(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null) {
        throw new AssertionError("no such frame within " + timeout + "; seen: " + seen);
      }
      seen.add(frame);
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  /** The next frame of {@code type}. */
  public JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
    return await(frame -> frame.path("type").asText().equals(type), timeout);
  }

  /** Every frame taken so far, in order. */
  public List<JsonNode> seen() {
    return seen;
  }

  /** The close code the server sent, waiting up to {@code timeout}. */
  public int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
