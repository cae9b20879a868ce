package dev.saturn.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tiny JSON-over-HTTP client for end-to-end tests: real sockets, no Spring test client in between. */
public final class HttpJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  public HttpJson(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Response(int status, JsonNode body, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String text(String field) {
      JsonNode node = body.path(field);
      return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /**
     * The registry code of an error in either of the API's error shapes: an RFC 7807 problem's
     * {@code code}, or an OpenAI error body's {@code error.code} (the code in lower case, which the
     * OpenAI-compatible endpoints send); null when the body is neither.
     */
    public String errorCode() {
      String code = text("code");
      if (code != null) {
        return code;
      }
      JsonNode openAi = body.path("error").path("code");
      return openAi.isTextual() ? openAi.asText().toUpperCase(java.util.Locale.ROOT) : null;
    }

    /** The fields an error names: a problem's {@code field_errors}, or an OpenAI error's {@code param} (", "-separated). */
    public java.util.List<String> errorFields() {
      if (body.has("field_errors")) {
        return body.path("field_errors").findValuesAsText("field");
      }
      JsonNode param = body.path("error").path("param");
      return param.isTextual() ? java.util.List.of(param.asText().split(", ")) : java.util.List.of();
    }

    /** An OpenAI-shaped error: {@code {"error": {"message", "type", "param", "code"}}} as JSON. */
    public boolean isOpenAiError() {
      JsonNode error = body.path("error");
      String type = header("Content-Type");
      return type != null && type.startsWith("application/json") && error.isObject()
          && error.path("message").isTextual() && error.path("type").isTextual() && error.has("param")
          && error.path("code").isTextual();
    }
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  public Response post(String path, String token, Object body) {
    return send("POST", path, token, body, Map.of());
  }

  public Response post(String path, String token, Object body, Map<String, String> headers) {
    return send("POST", path, token, body, headers);
  }

  /** POST multipart/form-data with one file part named {@code file} and optional text fields. */
  public Response upload(String path, String token, String fileName, String contentType, byte[] bytes,
      Map<String, String> fields, Map<String, String> headers) {
    String boundary = "saturn-test-" + System.nanoTime();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
    fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
        + name + "\"\r\n\r\n" + value + "\r\n").getBytes(utf8)));
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(utf8));
    out.writeBytes(bytes);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(90))
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      headers.forEach(request::header);
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Response(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException("upload " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response send(String method, String path, String token, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(90));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      headers.forEach(request::header);
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        // e.g. a text/event-stream: the text itself, for tests that read it raw
        json = JSON.getNodeFactory().textNode(response.body());
      }
      return new Response(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
