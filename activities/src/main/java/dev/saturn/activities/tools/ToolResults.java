package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A tool message's {@code tool_result} column: what the call came to, stored with its result, so
 * the reference the workflow gets can always be rebuilt from the row (also by an activity that
 * finds the result stored by an earlier, lost attempt).
 */
final class ToolResults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolResults() {}

  static String json(ToolOutcome outcome, ToolExecution execution) {
    ObjectNode node = JSON.createObjectNode().put("ok", outcome.ok());
    if (outcome.errorCode() != null) {
      node.put("error_code", outcome.errorCode());
    }
    if (execution != null) {
      node.putObject("execution")
          .put("tool_id", execution.toolId())
          .put("method", execution.method())
          .put("status", execution.status())
          .put("http_status", execution.httpStatus())
          .put("duration_ms", execution.durationMs())
          .put("attempt", execution.attempt());
    }
    return node.toString();
  }

  /** The reference to a stored tool message; a row without {@code tool_result} counts as ok. */
  static ToolCallRef refOf(MessageRow row) {
    boolean ok = true;
    String errorCode = null;
    ToolExecution execution = null;
    if (row.toolResultJson() != null) {
      JsonNode node = read(row.toolResultJson());
      ok = node.path("ok").asBoolean(true);
      errorCode = node.hasNonNull("error_code") ? node.get("error_code").asText() : null;
      JsonNode ran = node.path("execution");
      if (ran.isObject()) {
        execution = new ToolExecution(ran.path("tool_id").asText(null), ran.path("method").asText(null),
            ran.path("status").asText(null), ran.path("http_status").asInt(), ran.path("duration_ms").asLong(),
            ran.path("attempt").asInt());
      }
    }
    return new ToolCallRef(row.toolCallId(), row.toolName(), ok, errorCode, bytes(row.content()), execution, null);
  }

  static long bytes(String content) {
    return content == null ? 0 : content.getBytes(StandardCharsets.UTF_8).length;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
