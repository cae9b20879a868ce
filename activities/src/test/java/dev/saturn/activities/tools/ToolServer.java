package dev.saturn.activities.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A local HTTP server that counts and records every request it receives; answers are scripted per path. */
public final class ToolServer implements AutoCloseable {

  /** One received request. */
  public record Received(String method, String uri, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst().map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  /** An answer: status, body, extra headers. */
  public record Answer(int status, String body, Map<String, String> headers) {
    public static Answer json(String body) {
      return new Answer(200, body, Map.of());
    }
  }

  private final HttpServer server;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Answer> answers = r -> Answer.json("{\"ok\":true}");

  private ToolServer(HttpServer server) {
    this.server = server;
  }

  public static ToolServer start() {
    return start(InetAddress.getLoopbackAddress(), 0);
  }

  public static ToolServer start(InetAddress address, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
      ToolServer tool = new ToolServer(server);
      server.createContext("/", tool::handle);
      server.start();
      return tool;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ToolServer answering(Function<Received, Answer> answers) {
    this.answers = answers;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** How many requests reached this server. */
  public int count() {
    return count.get();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      count.incrementAndGet();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()), body);
      received.add(request);
      Answer answer = answers.apply(request);
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
