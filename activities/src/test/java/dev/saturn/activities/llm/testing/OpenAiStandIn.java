package dev.saturn.activities.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A scriptable OpenAI chat-completions server for tests: real HTTP on 127.0.0.1, so anything that
 * can reach the port (this JVM, a worker process, a container on the host network) can use it.
 *
 * <p>Unscripted requests get {@code "stand-in reply #N to: <last user message>"}, N being the
 * request's arrival number. Scripted steps ({@link #enqueueReply}, {@link #enqueueError}, {@link
 * #enqueueDelay}, {@link #enqueueStreamHold}) apply to the next requests in arrival order. {@link
 * #holdRequests()} parks every request that arrives until {@link #release()}, so a test can kill a
 * worker mid-call.
 *
 * <p>A request with {@code "stream": true} is answered as OpenAI streams: {@code text/event-stream}
 * of {@code chat.completion.chunk} objects (the role, then the content in pieces — each word with
 * the whitespace before it — or the tool calls with their arguments in fragments, then the finish
 * reason), with {@code stream_options.include_usage} a last chunk with empty {@code choices} and
 * the {@code usage}, and {@code data: [DONE]}. {@link #streamPace} spaces the pieces out like a
 * model writing; {@link #emissions} records when each piece left.
 *
 * <p>Thread-safe. Close it to free the port and fail whatever is still held.
 */
public final class OpenAiStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_MODEL = "stand-in";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final List<RecordedRequest> requests = new ArrayList<>(); // guarded by lock
  private CountDownLatch gate; // guarded by lock; non-null while holding
  private CountDownLatch streamGate; // guarded by lock; non-null while a stream is held mid-answer
  private final Queue<Step> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger held = new AtomicInteger();
  private volatile Function<RecordedRequest, String> responder = OpenAiStandIn::defaultContent;
  private volatile Function<RecordedRequest, List<ScriptedCall>> toolCaller = request -> List.of();
  private volatile Usage usage = Usage.COMPUTED;
  private volatile Duration firstPieceAfter = Duration.ZERO;
  private volatile Duration pieceEvery = Duration.ZERO;
  private final List<Emission> emissions = new ArrayList<>(); // guarded by lock

  private static final Pattern BEFORE_WHITESPACE = Pattern.compile("(?<=\\S)(?=\\s)");

  static {
    // Small streamed writes must leave at once, not wait for the previous segment's ACK (Nagle).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * One piece of streamed content that was written and flushed to the client.
   *
   * @param request the request's arrival number
   * @param index 0-based within the request
   * @param nanos {@link System#nanoTime()} right after the flush
   */
  public record Emission(int request, int index, String text, long nanos) {}

  private OpenAiStandIn(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** On an ephemeral port. */
  public static OpenAiStandIn start() {
    return start(0);
  }

  /** On {@code port} (0 = ephemeral), for a process that must find it again after a restart. */
  public static OpenAiStandIn start(int port) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      AtomicInteger threads = new AtomicInteger();
      // Unbounded: held requests each park a thread and must not starve the next request.
      ExecutorService executor =
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "openai-stand-in-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      OpenAiStandIn standIn = new OpenAiStandIn(server, executor);
      server.createContext("/", standIn::handle);
      server.setExecutor(executor);
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the OpenAI stand-in", e);
    }
  }

  /** Runs it standalone: {@code java ... OpenAiStandIn [port]}; prints the base URL. */
  public static void main(String[] args) throws InterruptedException {
    OpenAiStandIn standIn = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
    System.out.println(standIn.baseUrl());
    new CountDownLatch(1).await();
  }

  /** {@code http://127.0.0.1:<port>/v1}, what OpenAI clients take as their base URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Reports these counts in every successful reply. */
  public OpenAiStandIn withUsage(int promptTokens, int completionTokens) {
    usage = new Usage(true, false, promptTokens, completionTokens);
    return this;
  }

  /** Omits {@code usage}, like some local servers. */
  public OpenAiStandIn withoutUsage() {
    usage = Usage.NONE;
    return this;
  }

  /** Computes the content of unscripted replies. */
  public OpenAiStandIn respondWith(Function<RecordedRequest, String> responder) {
    this.responder = responder;
    return this;
  }

  /**
   * Unscripted requests for which this returns calls get an assistant message asking for them, so
   * a process that cannot script the stand-in (a client in another language) still meets a tool
   * call when its request says so.
   */
  public OpenAiStandIn callToolsWhen(Function<RecordedRequest, List<ScriptedCall>> toolCaller) {
    this.toolCaller = toolCaller;
    return this;
  }

  /** The next unanswered request gets this content. */
  public OpenAiStandIn enqueueReply(String content) {
    script.add(new Step(Duration.ZERO, 200, null, content, List.of(), -1, Map.of()));
    return this;
  }

  /**
   * The next unanswered streaming request gets its normal reply, but its stream stops after
   * {@code pieces} pieces of content until {@link #release()} (it counts as held meanwhile): a
   * test can kill whoever reads it mid-answer.
   */
  public OpenAiStandIn enqueueStreamHold(int pieces) {
    script.add(new Step(Duration.ZERO, 200, null, null, List.of(), pieces, Map.of()));
    return this;
  }

  /**
   * Spaces streamed pieces out: the first {@code firstPieceAfter} after the request arrived (after
   * any hold or scripted delay), each next one {@code pieceEvery} after the one before.
   */
  public OpenAiStandIn streamPace(Duration firstPieceAfter, Duration pieceEvery) {
    this.firstPieceAfter = firstPieceAfter;
    this.pieceEvery = pieceEvery;
    return this;
  }

  /** Every streamed piece of content so far, in the order written. */
  public List<Emission> emissions() {
    synchronized (lock) {
      return List.copyOf(emissions);
    }
  }

  /** How a streamed reply splits {@code content}: each word with the whitespace before it. */
  public static List<String> pieces(String content) {
    return content.isEmpty() ? List.of() : List.of(BEFORE_WHITESPACE.split(content));
  }

  /** A tool call to script: the call id, the tool's name and the arguments as JSON text. */
  public record ScriptedCall(String id, String name, String arguments) {}

  /** The next unanswered request gets an assistant message asking for these tool calls. */
  public OpenAiStandIn enqueueToolCalls(ScriptedCall... calls) {
    script.add(new Step(Duration.ZERO, 200, null, null, List.of(calls), -1, Map.of()));
    return this;
  }

  /** The next unanswered request gets this status and body. */
  public OpenAiStandIn enqueueError(int status, String body) {
    return enqueueResponse(status, body);
  }

  /** The next unanswered request gets this status, body and response headers (e.g. {@code Retry-After}). */
  public OpenAiStandIn enqueueError(int status, String body, Map<String, String> headers) {
    script.add(new Step(Duration.ZERO, status, body == null ? "" : body, null, List.of(), -1, Map.copyOf(headers)));
    return this;
  }

  /** The next unanswered request gets exactly this status and body, e.g. a 200 that is not JSON. */
  public OpenAiStandIn enqueueResponse(int status, String body) {
    script.add(new Step(Duration.ZERO, status, body == null ? "" : body, null, List.of(), -1, Map.of()));
    return this;
  }

  /** The next unanswered request gets its normal reply, but only after {@code delay}. */
  public OpenAiStandIn enqueueDelay(Duration delay) {
    script.add(new Step(delay, 200, null, null, List.of(), -1, Map.of()));
    return this;
  }

  /** From now on, requests are recorded and then parked until {@link #release()}. */
  public OpenAiStandIn holdRequests() {
    synchronized (lock) {
      if (gate == null) {
        gate = new CountDownLatch(1);
      }
    }
    return this;
  }

  /** Lets every parked request (and held stream) through and stops holding new ones. */
  public OpenAiStandIn release() {
    synchronized (lock) {
      if (gate != null) {
        gate.countDown();
        gate = null;
      }
      if (streamGate != null) {
        streamGate.countDown();
        streamGate = null;
      }
    }
    return this;
  }

  /** How many requests are parked right now. */
  public int heldRequests() {
    return held.get();
  }

  /** Waits until at least {@code n} requests have arrived (held ones count). */
  public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (requests.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /** Every request so far, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  public RecordedRequest lastRequest() {
    synchronized (lock) {
      if (requests.isEmpty()) {
        throw new IllegalStateException("The stand-in has received no request");
      }
      return requests.get(requests.size() - 1);
    }
  }

  /** Back to a fresh state (script, records, usage, responder) on the same port. */
  public OpenAiStandIn reset() {
    release();
    script.clear();
    usage = Usage.COMPUTED;
    responder = OpenAiStandIn::defaultContent;
    toolCaller = request -> List.of();
    firstPieceAfter = Duration.ZERO;
    pieceEvery = Duration.ZERO;
    synchronized (lock) {
      requests.clear();
      emissions.clear();
    }
    return this;
  }

  @Override
  public void close() {
    // Interrupt held requests before opening the gate: released first, they could still answer 200.
    executor.shutdownNow();
    server.stop(0);
    release();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if ("GET".equals(method) && (path.equals("/v1/models") || path.equals("/models"))) {
        send(exchange, 200, models());
        return;
      }
      if (!path.equals("/v1/chat/completions") && !path.equals("/chat/completions")) {
        send(exchange, 404, error("Unknown path " + path, "invalid_request_error"));
        return;
      }
      if (!"POST".equals(method)) {
        send(exchange, 405, error("Use POST", "invalid_request_error"));
        return;
      }

      String raw = readBody(exchange.getRequestBody());
      JsonNode body = parse(raw);
      RecordedRequest request;
      CountDownLatch parkOn;
      synchronized (lock) {
        request =
            new RecordedRequest(
                requests.size() + 1, method, path, exchange.getRequestHeaders(), raw, body);
        requests.add(request);
        lock.notifyAll();
        parkOn = gate;
      }
      // Taken on arrival, so scripted steps follow arrival order even when requests are held.
      Step step = script.poll();

      if (parkOn != null && !park(parkOn)) {
        return;
      }
      if (step != null && !step.delay().isZero() && !sleep(step.delay())) {
        return;
      }
      if (body == null || !body.path("messages").isArray()) {
        send(exchange, 400, error("Body must be JSON with a messages array", "invalid_request_error"));
        return;
      }
      if (step != null && step.body() != null) {
        step.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, step.status(), step.body());
        return;
      }
      boolean streaming = body.path("stream").asBoolean(false);
      List<ScriptedCall> calls = step != null ? step.toolCalls() : toolCaller.apply(request);
      String content = !calls.isEmpty() ? null
          : step != null && step.content() != null ? step.content() : responder.apply(request);
      if (streaming) {
        stream(exchange, request, body, content, calls, step == null ? -1 : step.holdAfterPieces());
      } else {
        send(exchange, 200, completion(request, content, calls));
      }
    } catch (IOException e) {
      // The client went away (timed out, or its process was killed while held): nothing to answer.
    }
  }

  private boolean park(CountDownLatch parkOn) {
    held.incrementAndGet();
    try {
      parkOn.await();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      held.decrementAndGet();
    }
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** OpenAI's streaming answer: chunks as Server-Sent Events, flushed one by one. */
  private void stream(HttpExchange exchange, RecordedRequest request, JsonNode body, String content,
      List<ScriptedCall> calls, int holdAfterPieces) throws IOException {
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      long created = System.currentTimeMillis() / 1000;
      String model = request.model() == null ? DEFAULT_MODEL : request.model();
      ObjectNode role = JSON.createObjectNode().put("role", "assistant");
      if (calls.isEmpty()) {
        role.put("content", "");
      }
      event(out, chunk(request, created, model, role, null, includeUsage));
      if (!firstPieceAfter.isZero() && !sleep(firstPieceAfter)) {
        return;
      }
      List<String> pieces = content == null ? List.of() : pieces(content);
      for (int i = 0; i < pieces.size(); i++) {
        if (i == holdAfterPieces) {
          CountDownLatch parkOn;
          synchronized (lock) {
            if (streamGate == null) {
              streamGate = new CountDownLatch(1);
            }
            parkOn = streamGate;
          }
          if (!park(parkOn)) {
            return;
          }
        }
        if (i > 0 && !pieceEvery.isZero() && !sleep(pieceEvery)) {
          return;
        }
        event(out, chunk(request, created, model, JSON.createObjectNode().put("content", pieces.get(i)), null, includeUsage));
        synchronized (lock) {
          emissions.add(new Emission(request.number(), i, pieces.get(i), System.nanoTime()));
        }
      }
      for (int i = 0; i < calls.size(); i++) {
        ScriptedCall call = calls.get(i);
        ObjectNode opening = JSON.createObjectNode();
        ObjectNode first = opening.putArray("tool_calls").addObject();
        first.put("index", i).put("id", call.id()).put("type", "function");
        first.putObject("function").put("name", call.name()).put("arguments", "");
        event(out, chunk(request, created, model, opening, null, includeUsage));
        String arguments = call.arguments();
        int half = arguments.length() / 2;
        for (String fragment : List.of(arguments.substring(0, half), arguments.substring(half))) {
          ObjectNode more = JSON.createObjectNode();
          more.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", fragment);
          event(out, chunk(request, created, model, more, null, includeUsage));
        }
      }
      event(out, chunk(request, created, model, JSON.createObjectNode(), calls.isEmpty() ? "stop" : "tool_calls", includeUsage));
      Usage reported = usage;
      if (includeUsage && reported.include()) {
        ObjectNode last = JSON.createObjectNode();
        last.put("id", "chatcmpl-stand-in-" + request.number());
        last.put("object", "chat.completion.chunk");
        last.put("created", created);
        last.put("model", model);
        last.putArray("choices");
        last.set("usage", usage(request, content, reported));
        event(out, last.toString());
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static String chunk(RecordedRequest request, long created, String model, ObjectNode delta, String finishReason,
      boolean includeUsage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-stand-in-" + request.number());
    root.put("object", "chat.completion.chunk");
    root.put("created", created);
    root.put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (includeUsage) {
      root.putNull("usage");
    }
    return root.toString();
  }

  private static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private ObjectNode usage(RecordedRequest request, String content, Usage reported) {
    int prompt = reported.computed() ? promptWords(request) : reported.prompt();
    int completion = reported.computed() ? words(content == null ? "" : content) : reported.completion();
    ObjectNode usageNode = JSON.createObjectNode();
    usageNode.put("prompt_tokens", prompt);
    usageNode.put("completion_tokens", completion);
    usageNode.put("total_tokens", prompt + completion);
    return usageNode;
  }

  private String completion(RecordedRequest request, String content, List<ScriptedCall> calls) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-stand-in-" + request.number());
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", request.model() == null ? DEFAULT_MODEL : request.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content == null) {
      message.putNull("content");
    } else {
      message.put("content", content);
    }
    if (!calls.isEmpty()) {
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (ScriptedCall call : calls) {
        ObjectNode toolCall = toolCalls.addObject();
        toolCall.put("id", call.id());
        toolCall.put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    choice.put("finish_reason", calls.isEmpty() ? "stop" : "tool_calls");
    Usage reported = usage;
    if (reported.include()) {
      root.set("usage", usage(request, content, reported));
    }
    return root.toString();
  }

  private static String models() {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    ObjectNode model = data.addObject();
    model.put("id", DEFAULT_MODEL);
    model.put("object", "model");
    model.put("owned_by", "saturn-tests");
    return root.toString();
  }

  private static String error(String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    return root.toString();
  }

  private static String defaultContent(RecordedRequest request) {
    return "stand-in reply #" + request.number() + " to: " + request.lastUserMessage();
  }

  /** Whitespace words, at least 1: deterministic and obviously not a tokenizer. */
  private static int promptWords(RecordedRequest request) {
    return Math.max(
        1, request.messages().stream().mapToInt(message -> words(message.content())).sum());
  }

  private static int words(String text) {
    return text == null || text.isBlank() ? 1 : text.strip().split("\\s+").length;
  }

  private static JsonNode parse(String raw) {
    try {
      return raw.isBlank() ? null : JSON.readTree(raw);
    } catch (IOException e) {
      return null;
    }
  }

  private static String readBody(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /**
   * @param holdAfterPieces a streamed reply stops after this many pieces until released; -1 never
   * @param headers sent with a scripted body (e.g. {@code Retry-After})
   */
  private record Step(
      Duration delay, int status, String body, String content, List<ScriptedCall> toolCalls,
      int holdAfterPieces, Map<String, String> headers) {}

  /** What replies report: fixed counts, word counts ({@code computed}), or nothing. */
  private record Usage(boolean include, boolean computed, int prompt, int completion) {
    static final Usage COMPUTED = new Usage(true, true, 0, 0);
    static final Usage NONE = new Usage(false, false, 0, 0);
  }
}
