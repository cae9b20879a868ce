package dev.saturn.app.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * MCP's Streamable HTTP spoken by hand, so a test controls every byte an MCP client library would
 * choose for it: the JSON-RPC id, the session header, a repeat of the same request.
 */
final class McpWire {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;

  McpWire(String baseUrl) {
    this.url = baseUrl + "/mcp";
  }

  /**
   * One HTTP exchange. {@code message} is the JSON-RPC message the body (plain JSON or an SSE
   * stream of one event) carried, or null.
   */
  record Exchange(int status, String body, JsonNode message, HttpResponse<String> raw) {

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The result of a tools/call. */
    JsonNode result() {
      return message == null ? null : message.path("result");
    }

    boolean isToolError() {
      return result().path("isError").asBoolean(false);
    }

    JsonNode structured() {
      return result().path("structuredContent");
    }

    /** The first text content. */
    String text() {
      return result().path("content").path(0).path("text").asText();
    }
  }

  /** A session opened with the initialize handshake; returns its {@code Mcp-Session-Id}. */
  String initialize(String token) {
    Exchange init = send(token, null, request(0, "initialize", Map.of(
        "protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "wire", "version", "1"))));
    if (init.status() != 200 || init.header("Mcp-Session-Id") == null) {
      throw new AssertionError("initialize answered " + init.status() + " " + init.body());
    }
    Exchange initialized = send(token, init.header("Mcp-Session-Id"), notification("notifications/initialized"));
    if (initialized.status() != 202) {
      throw new AssertionError("notifications/initialized answered " + initialized.status() + " " + initialized.body());
    }
    return init.header("Mcp-Session-Id");
  }

  Exchange callTool(String token, String session, Object id, String tool, Map<String, ?> arguments) {
    return send(token, session, request(id, "tools/call", Map.of("name", tool, "arguments", arguments)));
  }

  static String request(Object id, String method, Map<String, ?> params) {
    ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
    message.set("id", JSON.valueToTree(id));
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    return message.toString();
  }

  static String notification(String method) {
    return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).toString();
  }

  Exchange send(String token, String session, String body) {
    return send("POST", token, session, body);
  }

  Exchange send(String method, String token, String session, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Exchange(response.statusCode(), response.body(), message(response), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JSON body, or the data of the SSE stream's (one) message event. */
  private static JsonNode message(HttpResponse<String> response) throws IOException {
    String body = response.body();
    if (body == null || body.isBlank()) {
      return null;
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("text/event-stream")) {
      StringBuilder data = new StringBuilder();
      for (String line : body.split("\n")) {
        if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
      return data.length() == 0 ? null : JSON.readTree(data.toString());
    }
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }
}
