package dev.saturn.activities.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scriptable Ollama server for tests, speaking the native {@code POST /api/chat} JSON on 127.0.0.1:
 * {@code message} with {@code tool_calls} whose {@code arguments} are JSON objects, token counts as
 * {@code prompt_eval_count}/{@code eval_count}, errors as {@code {"error": "..."}}. A request with
 * {@code "stream": true} gets the answer as NDJSON chunks, one per word, then a {@code done} line.
 *
 * <p>Unscripted requests get {@code "ollama reply #N to: <last user message>"}.
 */
public final class OllamaStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tool call to script: the tool's name and its arguments as JSON text. */
  public record ScriptedCall(String name, String arguments) {}

  private record Step(int status, String body, Map<String, String> headers, String content,
      List<ScriptedCall> calls, Duration delay) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new ArrayList<>(); // guarded by itself
  private final List<Long> arrivals = new ArrayList<>(); // System.nanoTime() per request; guarded by requests
  private final Queue<Step> script = new ConcurrentLinkedQueue<>();
  private volatile int promptTokens = 11;
  private volatile int outputTokens = 5;

  private OllamaStandIn(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static OllamaStandIn start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "ollama-stand-in");
        thread.setDaemon(true);
        return thread;
      });
      OllamaStandIn standIn = new OllamaStandIn(server, executor);
      server.createContext("/", standIn::handle);
      server.setExecutor(executor);
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the Ollama stand-in", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, Ollama's root (clients add {@code /api/chat}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public OllamaStandIn withUsage(int prompt, int output) {
    this.promptTokens = prompt;
    this.outputTokens = output;
    return this;
  }

  public OllamaStandIn enqueueReply(String content) {
    script.add(new Step(200, null, Map.of(), content, List.of(), Duration.ZERO));
    return this;
  }

  public OllamaStandIn enqueueToolCalls(ScriptedCall... calls) {
    script.add(new Step(200, null, Map.of(), null, List.of(calls), Duration.ZERO));
    return this;
  }

  /** The next request gets this status, {@code {"error": message}} and these headers. */
  public OllamaStandIn enqueueError(int status, String message, Map<String, String> headers) {
    script.add(new Step(status, JSON.createObjectNode().put("error", message).toString(), headers, null, List.of(),
        Duration.ZERO));
    return this;
  }

  /** The next request gets its normal reply after {@code delay}. */
  public OllamaStandIn enqueueDelay(Duration delay) {
    script.add(new Step(200, null, Map.of(), null, List.of(), delay));
    return this;
  }

  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The time between the arrival of request {@code from} and request {@code to} (1-based). */
  public Duration between(int from, int to) {
    synchronized (requests) {
      return Duration.ofNanos(arrivals.get(to - 1) - arrivals.get(from - 1));
    }
  }

  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = requests();
    if (all.isEmpty()) {
      throw new AssertionError("The Ollama stand-in received no request");
    }
    return all.get(all.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals("/api/chat")) {
        send(exchange, 404, "{\"error\":\"404 page not found\"}", Map.of());
        return;
      }
      String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode body;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        body = null;
      }
      RecordedRequest request;
      synchronized (requests) {
        request = new RecordedRequest(requests.size() + 1, exchange.getRequestMethod(), path,
            exchange.getRequestHeaders(), raw, body);
        requests.add(request);
        arrivals.add(System.nanoTime());
      }
      Step step = script.poll();
      if (step != null && !step.delay().isZero()) {
        try {
          Thread.sleep(step.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (body == null || !body.path("messages").isArray()) {
        send(exchange, 400, "{\"error\":\"invalid request\"}", Map.of());
        return;
      }
      if (step != null && step.body() != null) {
        send(exchange, step.status(), step.body(), step.headers());
        return;
      }
      String model = body.path("model").asText("");
      List<ScriptedCall> calls = step == null ? List.of() : step.calls();
      String content = calls.isEmpty()
          ? step != null && step.content() != null ? step.content()
              : "ollama reply #" + request.number() + " to: " + lastUser(body)
          : "";
      if (body.path("stream").asBoolean(true)) {
        stream(exchange, model, content, calls);
      } else {
        send(exchange, 200, done(model, content, calls).toString(), Map.of());
      }
    } catch (IOException e) {
      // The client went away (timed out): nothing to answer.
    }
  }

  private ObjectNode done(String model, String content, List<ScriptedCall> calls) throws IOException {
    ObjectNode out = chunk(model, content, calls);
    out.put("done", true).put("done_reason", "stop")
        .put("total_duration", 1_000_000).put("prompt_eval_count", promptTokens).put("eval_count", outputTokens);
    return out;
  }

  private ObjectNode chunk(String model, String content, List<ScriptedCall> calls) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("model", model).put("created_at", "2026-01-01T00:00:00.000000Z");
    ObjectNode message = out.putObject("message").put("role", "assistant").put("content", content);
    if (!calls.isEmpty()) {
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (ScriptedCall call : calls) {
        toolCalls.addObject().putObject("function").put("name", call.name())
            .set("arguments", JSON.readTree(call.arguments()));
      }
    }
    out.put("done", false);
    return out;
  }

  private void stream(HttpExchange exchange, String model, String content, List<ScriptedCall> calls) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      String[] words = content.isEmpty() ? new String[0] : content.split("(?<= )");
      for (String word : words) {
        out.write((chunk(model, word, List.of()) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      out.write((done(model, "", calls) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String lastUser(JsonNode body) {
    String last = "";
    for (JsonNode message : body.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        last = message.path("content").asText();
      }
    }
    return last;
  }

  private static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    headers.forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
