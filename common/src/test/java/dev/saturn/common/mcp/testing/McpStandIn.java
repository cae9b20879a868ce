package dev.saturn.common.mcp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-process MCP server (Streamable HTTP) for tests that need one without Python: the
 * contract suites' fixtures and the client's corner cases. Tools: {@code echo} (answers its
 * {@code text}), {@code rpc_error} (a JSON-RPC error instead of a result). It answers plain JSON,
 * or server-sent events ({@link #answeringWithEvents}), optionally keeping the stream open after
 * the answer ({@link #holdingStreamsOpen}). The real server the MCP tests run against is
 * {@link PythonMcpServer}.
 */
public final class McpStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> methods = new CopyOnWriteArrayList<>();
  private volatile boolean events;
  private volatile boolean holdOpen;
  private volatile String protocolVersion = "2025-06-18";

  private McpStandIn(HttpServer server) {
    this.server = server;
  }

  public static McpStandIn start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      McpStandIn standIn = new McpStandIn(server);
      server.createContext("/", standIn::handle);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "mcp-stand-in");
        thread.setDaemon(true);
        return thread;
      }));
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public McpStandIn answeringWithEvents() {
    events = true;
    return this;
  }

  public McpStandIn holdingStreamsOpen() {
    events = true;
    holdOpen = true;
    return this;
  }

  /** The revision {@code initialize} answers with. */
  public McpStandIn speaking(String version) {
    protocolVersion = version;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/mcp";
  }

  /** How many HTTP requests reached it. */
  public int requests() {
    return requests.get();
  }

  /** The JSON-RPC methods (and DELETE) it received, in order. */
  public List<String> methods() {
    return List.copyOf(methods);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (exchange.getRequestMethod().equals("DELETE")) {
        methods.add("DELETE");
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      JsonNode message = JSON.readTree(exchange.getRequestBody());
      String method = message.path("method").asText();
      methods.add(method);
      if (!message.has("id")) {
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
      response.set("id", message.get("id"));
      switch (method) {
        case "initialize" -> {
          ObjectNode result = response.putObject("result").put("protocolVersion", protocolVersion);
          result.putObject("capabilities").putObject("tools");
          result.putObject("serverInfo").put("name", "stand-in").put("version", "0.1");
          exchange.getResponseHeaders().add("Mcp-Session-Id", "stand-in-session");
        }
        case "tools/list" -> response.putObject("result").set("tools", JSON.readTree("""
            [{"name": "echo", "description": "Echoes the text back.",
              "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
              "annotations": {"readOnlyHint": true}},
             {"name": "rpc_error", "description": "Answers with a JSON-RPC error.",
              "inputSchema": {"type": "object", "properties": {}}}]"""));
        case "tools/call" -> {
          String tool = message.path("params").path("name").asText();
          if (tool.equals("echo")) {
            ObjectNode result = response.putObject("result").put("isError", false);
            result.putArray("content").addObject().put("type", "text")
                .put("text", message.path("params").path("arguments").path("text").asText());
          } else {
            response.putObject("error").put("code", -32603).put("message", "the stand-in refuses " + tool);
          }
        }
        default -> response.putObject("error").put("code", -32601).put("message", "Method not found");
      }
      byte[] body;
      if (events) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        body = ("event: message\ndata: " + response + "\n\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": a comment first\n\n".getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        if (holdOpen) {
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        body = response.toString().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    }
  }
}
