package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * One call of a tool outside any turn, for a person trying it out (the console's "Test a call"): the
 * same argument check (the tool's JSON Schema, then the executor's own), the same executor (and so
 * the same SSRF guard, timeouts and size limit) as a model's call, the body redacted of secrets.
 * Nothing is retried and nothing is stored; the caller audits.
 */
@Component
public class ToolTestCalls {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What happened: {@code status} is {@code invalid}, {@code ok}, {@code failed} or {@code refused}. */
  public record Outcome(String status, Integer httpStatus, String body, String failure, long durationMs) {}

  private final ToolExecutors executors;
  private final ToolsProperties properties;
  private final ToolArguments arguments = new ToolArguments();

  public ToolTestCalls(ToolExecutors executors, ToolsProperties properties) {
    this.executors = executors;
    this.properties = properties;
  }

  public Outcome run(CompanyId company, ToolRow tool, String argumentsJson) {
    String problems = arguments.problems(tool.parametersJson(), argumentsJson);
    JsonNode args = null;
    ToolExecutor executor = executors.find(tool.kind()).orElse(null);
    if (executor == null) {
      return new Outcome("invalid", null, null, "this process runs no tools of kind '" + tool.kind() + "'", 0);
    }
    if (problems == null) {
      args = parse(argumentsJson);
      problems = executor.problems(tool, args);
    }
    if (problems != null) {
      return new Outcome("invalid", null, null, problems, 0);
    }
    String id = "test-" + UUID.randomUUID();
    ToolCallResult result = executor.execute(company, tool, args, new ToolCallContext(
        id, id, "saturn-" + id, 1, Duration.ofMillis(tool.timeoutMs()), properties.maxResponseBytes()));
    List<String> secretValues = executor.secretValues(company, tool);
    Set<String> secretFields = ToolCatalog.secretFields(tool);
    String body = result.body() == null ? null : JsonRedactor.redact(result.body(), secretFields, secretValues);
    String failure = result.failure() == null ? null : dev.saturn.workflows.common.Redaction.redactValues(result.failure(), secretValues);
    return new Outcome(result.status().label(), result.httpStatus() == 0 ? null : result.httpStatus(), body, failure,
        result.durationMs());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
