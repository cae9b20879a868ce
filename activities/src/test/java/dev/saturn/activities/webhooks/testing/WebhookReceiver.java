package dev.saturn.activities.webhooks.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on 127.0.0.1 for tests: every path answers from its script of statuses (200
 * once the script is used up, or the path's default), and every request is kept as it arrived.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived; header names lower-cased. */
  public record Received(String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Integer> defaults = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        String path = exchange.getRequestURI().getPath();
        receiver.received.add(new Received(path, headers, body));
        int status = receiver.next(path);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The next statuses {@code path} answers, in order; afterwards its default. */
  public WebhookReceiver script(String path, Integer... statuses) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(statuses));
    return this;
  }

  /** What {@code path} answers once its script is used up (200 unless set). */
  public WebhookReceiver always(String path, int status) {
    defaults.put(path, status);
    return this;
  }

  private synchronized int next(String path) {
    Deque<Integer> script = scripts.get(path);
    Integer scripted = script == null ? null : script.pollFirst();
    return scripted != null ? scripted : defaults.getOrDefault(path, 200);
  }

  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Waits until {@code path} has had at least {@code count} requests; @return them */
  public List<Received> await(String path, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received(path).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " requests on " + path + " within " + timeout + ", got "
            + received(path).size());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return received(path);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
