package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import java.util.List;

/**
 * Runs the calls of one kind of tool ({@code tools.kind}): {@code http} today, MCP next. The tool
 * activities pick the executor by the tool's kind ({@link ToolExecutors}) and do everything that
 * is the same for every kind around it: schema check, approval, redaction, storing the result,
 * usage, audit and events ({@link ToolCallRecorder}). An executor only talks to the tool.
 *
 * <p>Implementations are shared between activity threads. They never retry: Temporal does, when
 * {@link #idempotent} says a repeat is harmless and the result says the failure was transient.
 */
public interface ToolExecutor {

  /** The {@code tools.kind} this executor runs, e.g. {@code "http"}. */
  String kind();

  /** Whether calling the tool twice with the same arguments does no harm, so a transient failure is retried. */
  boolean idempotent(ToolRow tool);

  /**
   * Why these arguments (already valid against the tool's JSON Schema) cannot be sent, told to the
   * model before any approval or request; null when they can.
   */
  default String problems(ToolRow tool, JsonNode arguments) {
    return null;
  }

  /**
   * The secret values a call of this tool sends (decrypted credentials), so that everything
   * stored about the call can be redacted of them.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable when a secret cannot be read with
   *     this process's key
   */
  List<String> secretValues(CompanyId company, ToolRow tool);

  /**
   * One attempt of one call. What the tool did (refused, failed, timed out, too large) is the
   * result, never an exception.
   *
   * @param arguments the model's arguments, valid against the tool's schema and passing {@link #problems}
   */
  ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context);
}
