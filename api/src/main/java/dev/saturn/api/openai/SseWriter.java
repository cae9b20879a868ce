package dev.saturn.api.openai;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events written straight to the response, flushed after each event. Used on the
 * request's own thread: a streamed answer holds it, as a waiting one does. An {@link IOException}
 * means the client has gone.
 */
final class SseWriter {

  private final HttpServletResponse response;
  private final JsonMapper json;
  private OutputStream out;

  SseWriter(HttpServletResponse response, JsonMapper json) {
    this.response = response;
    this.json = json;
  }

  /** Status 200 and the event-stream headers; nothing may fail as a JSON error after this. */
  void open() throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    // Proxies (nginx) must not buffer the stream.
    response.setHeader("X-Accel-Buffering", "no");
    out = response.getOutputStream();
    response.flushBuffer();
  }

  /** {@code data: <json>} */
  void data(Object value) throws IOException {
    write("data: " + json.writeValueAsString(value) + "\n\n");
  }

  /** {@code event: <name>} then {@code data: <json>} */
  void event(String name, Object value) throws IOException {
    write("event: " + name + "\ndata: " + json.writeValueAsString(value) + "\n\n");
  }

  /** Chat completions end with {@code data: [DONE]}. */
  void done() throws IOException {
    write("data: [DONE]\n\n");
  }

  /** A comment line, ignored by clients, that keeps idle connections open. */
  void keepAlive() throws IOException {
    write(": keep-alive\n\n");
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
