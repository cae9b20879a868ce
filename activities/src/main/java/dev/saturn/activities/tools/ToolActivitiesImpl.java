package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.tracing.GenAiSpans;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRecord;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import dev.saturn.workflows.tools.ToolResultsInput;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The tool activities. A call is looked up by name among the tools of the turn's pinned agent
 * version and run by the {@link ToolExecutor} of the tool's kind; what is the same for every kind
 * (schema check, approval, redaction, the outcome the model reads, whether to retry) is decided
 * here, and everything written goes through the {@link ToolCallRecorder}, keyed by the turn and
 * the call id, so a retry finds its first attempt's rows.
 */
@Component
public class ToolActivitiesImpl implements ToolActivities {

  private static final Logger log = LoggerFactory.getLogger(ToolActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_EXCERPT = 500;
  private static final String NOT_JSON = "arguments are not valid JSON";

  private final TurnRepository turns;
  private final ToolCatalog catalog;
  private final ToolExecutors executors;
  private final ToolCallRecorder recorder;
  private final ToolsProperties properties;
  private final GenAiSpans spans;
  /** The kind of a call whose result reaches us through the workflow: the activity that ran it is gone. */
  private static final String UNKNOWN_KIND = "unknown";

  private final ToolArguments arguments = new ToolArguments();

  public ToolActivitiesImpl(
      TurnRepository turns, ToolCatalog catalog, ToolExecutors executors, ToolCallRecorder recorder,
      ToolsProperties properties, GenAiSpans spans) {
    this.turns = turns;
    this.catalog = catalog;
    this.executors = executors;
    this.recorder = recorder;
    this.properties = properties;
    this.spans = spans;
  }

  @Override
  public ToolCheck checkToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return ToolCheck.invalid("tool '" + in.toolName() + "' no longer exists");
    }
    // A kind this worker cannot run passes the check; running it fails clearly (ToolExecutors.get).
    Optional<ToolExecutor> executor = executors.find(tool.kind());
    String problems = arguments.problems(tool.parametersJson(), in.arguments());
    if (problems == null && executor.isPresent()) {
      JsonNode args = parse(in.arguments());
      problems = args == null ? NOT_JSON : executor.get().problems(tool, args);
    }
    if (problems != null) {
      return ToolCheck.invalid(problems);
    }
    boolean idempotent = executor.isPresent() && executor.get().idempotent(tool);
    long timeout = tool.approvalTimeoutSeconds() != null
        ? tool.approvalTimeoutSeconds()
        : properties.approvalTimeout().toSeconds();
    if (tool.requiresApproval()) {
      recorder.awaitingApproval(company, in, tool, JsonRedactor.redact(in.arguments(), ToolCatalog.secretFields(tool)),
          Duration.ofSeconds(timeout));
    }
    return new ToolCheck(true, null, tool.requiresApproval(), timeout, idempotent);
  }

  @Override
  public ToolCallRef runToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    Optional<MessageRow> stored = recorder.storedResult(company, in.turnId(), in.callId());
    if (stored.isPresent()) {
      // An attempt whose completion was lost had stored the result: never run the call twice.
      return ToolResults.refOf(stored.get());
    }
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return recorder.storeResult(company, in.sessionId(), in.turnId(), in.step(), missing(in), null, BusinessMetrics.NONE);
    }
    Ran ran = run(company, in, tool);
    if (ran.retryable()) {
      // The attempt failed and Temporal runs another: record it now, as well as the database lets us.
      try {
        recorder.recordExecution(company, in, ran.execution(), ran.redactedArgs(), ran.outcome());
      } catch (RuntimeException e) {
        log.warn("tool call attempt not recorded: tool={} call_id={} ({})", tool.name(), in.callId(), e.toString());
      }
      throw ran.retry();
    }
    return storeRan(company, in, ran, tool.kind());
  }

  /**
   * Stores what the tool answered, alone in one small transaction, before anything else can fail
   * the activity. If the database refuses, the result goes back to the workflow in the reference
   * (at most {@code max-response-bytes}) and is stored from there: the side effect has happened,
   * so the model must see it.
   */
  private ToolCallRef storeRan(CompanyId company, ToolCallInput in, Ran ran, String toolKind) {
    ToolOutcome outcome = ran.outcome();
    try {
      return recorder.storeResult(company, in.sessionId(), in.turnId(), in.step(), outcome, ran.execution(), toolKind);
    } catch (RuntimeException e) {
      log.warn("tool result not stored, handing it to the workflow: tool={} call_id={} ({})",
          in.toolName(), in.callId(), e.toString());
      return new ToolCallRef(outcome.callId(), outcome.toolName(), outcome.ok(), outcome.errorCode(),
          ToolResults.bytes(outcome.content()), ran.execution(), outcome.content() == null ? "" : outcome.content());
    }
  }

  @Override
  public ToolCallRef storeToolOutcome(ToolOutcomeInput in) {
    // Decided in the workflow (nothing ran), or a result the database refused to the activity that ran it.
    return recorder.storeResult(CompanyId.of(in.companyId()), in.sessionId(), in.turnId(), in.step(), in.outcome(),
        in.execution(), in.execution() == null ? BusinessMetrics.NONE : UNKNOWN_KIND);
  }

  @Override
  public void recordToolCall(ToolCallRecord in) {
    ToolCallInput call = in.call();
    CompanyId company = CompanyId.of(call.companyId());
    MessageRow result = recorder.storedResult(company, call.turnId(), call.callId())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "no stored result for tool call " + call.callId(), ErrorCode.NOT_FOUND.name()));
    ToolRow tool = tool(company, call);
    Set<String> secretFields = tool == null ? Set.of() : ToolCatalog.secretFields(tool);
    List<String> secretValues = tool == null ? List.of() : secretValuesOrNone(company, tool);
    String redactedArgs = JsonRedactor.redact(call.arguments(), secretFields, secretValues);
    ToolOutcome outcome = new ToolOutcome(call.callId(), result.toolName(), in.ok(), in.errorCode(), result.content());
    recorder.recordExecution(company, call, in.execution(), redactedArgs, outcome);
  }

  @Override
  public ToolOutcome executeToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return missing(in);
    }
    Ran ran = run(company, in, tool);
    recorder.recordExecution(company, in, ran.execution(), ran.redactedArgs(), ran.outcome());
    if (ran.retryable()) {
      throw ran.retry();
    }
    return ran.outcome();
  }

  private static ToolOutcome missing(ToolCallInput in) {
    return ToolOutcome.error(in.callId(), in.toolName(), ErrorCode.TOOL_EXECUTION_FAILED.name(),
        "tool '" + in.toolName() + "' no longer exists");
  }

  /**
   * One attempt's HTTP call and what came of it, redacted. {@code retryable}: a transient failure
   * of an idempotent tool, which Temporal may retry; any other call's failure is its result.
   */
  private record Ran(ToolOutcome outcome, ToolExecution execution, String redactedArgs, boolean retryable, String failure) {
    ApplicationFailure retry() {
      // Retrying is safe only for idempotent tools; Temporal retries with backoff, then the
      // workflow tells the model TOOL_EXECUTION_FAILED.
      return ApplicationFailure.newFailure(
          "tool " + outcome.toolName() + " failed (" + failure + "); retrying", ErrorCode.TOOL_EXECUTION_FAILED.name());
    }
  }

  private Ran run(CompanyId company, ToolCallInput in, ToolRow tool) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    ToolExecutor executor = executors.get(tool.kind());
    Set<String> secretFields = ToolCatalog.secretFields(tool);
    List<String> secretValues = executor.secretValues(company, tool);
    JsonNode args = parse(in.arguments());
    if (args == null) {
      ToolOutcome invalid = ToolOutcome.error(in.callId(), tool.name(), ErrorCode.TOOL_SCHEMA_INVALID.name(), NOT_JSON);
      return new Ran(invalid, null, null, false, null);
    }

    ToolCallResult result;
    String redactedArgs;
    String redactedBody;
    try (GenAiSpans.ToolSpan span = spans.executeTool(tool.name(), in.callId())) {
      result = span.result(executor.execute(company, tool, args, new ToolCallContext(
          in.turnId(), in.callId(), ToolCallContext.idempotencyKey(info.getWorkflowId(), in.callId()), info.getAttempt(),
          Duration.ofMillis(tool.timeoutMs()), properties.maxResponseBytes())));
      redactedArgs = JsonRedactor.redact(in.arguments(), secretFields, secretValues);
      redactedBody = result.body() == null ? null : JsonRedactor.redact(result.body(), secretFields, secretValues);
      span.content(redactedArgs, redactedBody);
    }
    ToolOutcome outcome;
    if (result.ok()) {
      outcome = new ToolOutcome(in.callId(), tool.name(), true, null, redactedBody);
    } else {
      String reason = result.failure() != null
          ? Redaction.redactValues(result.failure(), secretValues)
          : "the tool answered HTTP " + result.httpStatus() + excerpt(redactedBody);
      outcome = ToolOutcome.error(in.callId(), tool.name(), ErrorCode.TOOL_EXECUTION_FAILED.name(), reason);
    }
    String status = result.status().label();
    log.info("tool call finished: tool={} kind={} call_id={} status={} http_status={} duration_ms={} attempt={}",
        tool.name(), executor.kind(), in.callId(), status, result.httpStatus(), result.durationMs(), info.getAttempt());
    ToolExecution execution =
        new ToolExecution(tool.id(), tool.method(), status, result.httpStatus(), result.durationMs(), info.getAttempt());
    boolean retryable = !result.ok() && result.transientFailure() && executor.idempotent(tool);
    String failure = result.failure() != null ? result.failure() : "HTTP " + result.httpStatus();
    return new Ran(outcome, execution, redactedArgs, retryable, failure);
  }

  @Override
  public void closeApproval(ApprovalClosure in) {
    recorder.approvalClosed(in);
  }

  @Override
  public void saveToolResults(ToolResultsInput in) {
    recorder.storeResults(CompanyId.of(in.companyId()), in.sessionId(), in.turnId(), in.step(), in.outcomes());
  }

  private ToolRow tool(CompanyId company, ToolCallInput in) {
    TurnRow turn = turns.find(company, in.turnId())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    if (turn.agentVersion() == null) {
      throw ApplicationFailure.newNonRetryableFailure("turn " + in.turnId() + " has no pinned version", ErrorCode.NOT_FOUND.name());
    }
    return catalog.named(company, turn.agentId(), turn.agentVersion(), in.toolName()).orElse(null);
  }

  /** For recording after the call: a secret that no longer decrypts only weakens the audit row's redaction. */
  private List<String> secretValuesOrNone(CompanyId company, ToolRow tool) {
    try {
      return executors.find(tool.kind()).map(executor -> executor.secretValues(company, tool)).orElse(List.of());
    } catch (ApplicationFailure e) {
      return List.of();
    }
  }

  /** The arguments as JSON (none: an empty object), or null when they are not JSON. */
  private static JsonNode parse(String argumentsJson) {
    try {
      return JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
    } catch (IOException e) {
      return null;
    }
  }

  private static String excerpt(String body) {
    return body == null || body.isBlank()
        ? ""
        : ": " + ToolCallRecorder.truncate(body.replaceAll("\\s+", " ").strip(), MAX_ERROR_EXCERPT);
  }
}
